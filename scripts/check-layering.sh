#!/usr/bin/env bash
# One-way dependencies: Monitor <- MonitorStore <- MonitorWeb <- pbmonitor.
# Monitor is Foundation only; MonitorWeb imports no SQL driver; nothing imports upwards.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # folder, forbidden-import regex, reason
  local hits
  hits=$(grep -rnE "^\s*(@preconcurrency\s+)?import\s+($2)\b" "$1" 2>/dev/null || true)
  if [ -n "$hits" ]; then echo "Laagfout in $1 ($3):"; echo "$hits"; fail=1; fi
}
check Sources/Monitor 'Hummingbird|HummingbirdCore|SQLKit|SQLiteKit|SQLiteNIO|PostgresKit|PostgresNIO|NIO|NIOCore|NIOPosix|Mustache|Logging|Yams|MonitorStore|MonitorWeb|ArgumentParser' "alleen Foundation"
check Sources/MonitorStore 'Hummingbird|Mustache|MonitorWeb|ArgumentParser' "geen web of CLI"
check Sources/MonitorWeb 'SQLKit|SQLiteKit|SQLiteNIO|PostgresKit|PostgresNIO|ArgumentParser' "geen databasedriver; alleen de Store-protocollen"
# Monitor may import nothing but Foundation (and Glibc/Darwin for math).
other=$(grep -rhoE "^\s*import\s+\w+" Sources/Monitor | awk '{print $2}' | sort -u | grep -vE '^(Foundation|Glibc|Darwin)$' || true)
if [ -n "$other" ]; then echo "Sources/Monitor importeert meer dan Foundation: $other"; fail=1; fi
# Feature folders (docs/ARCHITECTURE.md): every source file of the three layers lives in one of them, by the same names.
features='Core|App|Catalog|Figures|Geography|Import|Export|Analysis|Dialogue|Registration|Knowledge|Accounts|Cooperation|Resources'
stray=$(find Sources/Monitor Sources/MonitorStore Sources/MonitorWeb -name '*.swift' | grep -vE "^Sources/(Monitor|MonitorStore|MonitorWeb)/($features)/" || true)
if [ -n "$stray" ]; then echo "Bestanden buiten een functiemap (zie docs/ARCHITECTURE.md):"; echo "$stray"; fail=1; fi
# One place each: the form field `actie` of earlier versions (LegacyActions), rendering a template (Rendering, TemplateAudit).
actie=$(grep -rn 'form\["actie"\]' Sources --include=*.swift | grep -v 'App/LegacyActions.swift' || true)
if [ -n "$actie" ]; then echo "Een actie is een eigen route, geen formulierveld 'actie':"; echo "$actie"; fail=1; fi
templates=$(grep -rn 'withTemplate:' Sources/MonitorWeb --include=*.swift | grep -vE 'App/(Rendering|TemplateAudit)\.swift' || true)
if [ -n "$templates" ]; then echo "Pagina's renderen via PageRenderer (een Page noemt zijn sjabloon):"; echo "$templates"; fail=1; fi
# View models of pages live in the feature's *Pages.swift, next to (not inside) its controller.
pages=$(grep -rnE '^(public )?struct [A-Za-z]+Page\b' Sources/MonitorWeb --include='*Controller.swift' || true)
if [ -n "$pages" ]; then echo "View models van pagina's horen in <Functie>Pages.swift, niet in een controller:"; echo "$pages"; fail=1; fi
# Time and settings come in from the composition root: no Date() in the web layer (handlers read context.clock), the
# environment only in the command line, the configuration and the test support.
clock=$(grep -rn 'Date()' Sources/MonitorWeb --include=*.swift | grep -v '^\S*:\s*///' || true)
if [ -n "$clock" ]; then echo "De tijd komt van de klok (context.clock, MonitorConfiguration.clock), niet van Date():"; echo "$clock"; fail=1; fi
environment=$(grep -rn 'ProcessInfo.processInfo.environment' Sources --include=*.swift | grep -vE '^Sources/(pbmonitor|MonitorTestSupport)/|^Sources/Monitor/Core/Configuration\.swift' || true)
if [ -n "$environment" ]; then echo "Instellingen lopen via MonitorConfiguration (Monitor/Core/Configuration.swift):"; echo "$environment"; fail=1; fi
if [ $fail -eq 0 ]; then echo "Lagen in orde: Monitor <- MonitorStore <- MonitorWeb <- pbmonitor; functiemappen, acties, sjablonen, klok en instellingen op hun plek"; fi
exit $fail
