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
if [ $fail -eq 0 ]; then echo "Lagen in orde: Monitor <- MonitorStore <- MonitorWeb <- pbmonitor"; fi
exit $fail
