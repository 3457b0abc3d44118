#!/usr/bin/env bash
# Two `pbmonitor serve` processes on one PostgreSQL, as a shared deployment runs them:
#   1. log in on node A and continue with the same cookie on node B;
#   2. write on A (add an account) and read it on B; an import next to the nodes shows on B within 2 s, although B
#      kept the earlier answer in its response cache;
#   3. stop PostgreSQL for a few seconds: both nodes answer 503 meanwhile, and recover without a restart
#      (the session survives: it lives in the database);
#   4. pg_dump / pg_restore round trip of the same database.
#
# Usage: scripts/two-nodes.sh BINARY ADMIN_URL PG_CONTROL
#   BINARY     the built pbmonitor
#   ADMIN_URL  postgres://postgres@127.0.0.1:PORT/postgres
#   PG_CONTROL a command taking `stop` or `start` (stops/starts the cluster), e.g. scripts/pg-control.sh
# Called by .ci/run; needs curl, psql, pg_dump and pg_restore.
set -euo pipefail
bin=$1; admin=$2; control=$3
base=${admin%/*}
work=$(mktemp -d)
db="pbm_nodes_$$"
restored="pbm_nodes_restored_$$"
portA=18201; portB=18202
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  $control start >/dev/null 2>&1 || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $restored WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FOUT: $*"; for f in "$work"/*.log; do echo "--- $f"; tail -n 20 "$f"; done; exit 1; }
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$work/jar" -c "$work/jar" "$1"; }
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }

psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
url="$base/$db"
echo "een-goed-wachtwoord" | "$bin" user add beheer@example.nl --rol beheerder --naam "Bea Beheer" --wachtwoord-stdin --database "$url" >/dev/null

"$bin" serve --database "$url" --port $portA --only-gemeenten GM0088 > "$work/a.log" 2>&1 & pids+=($!)
for i in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$portA/-/health" && break; sleep 0.5; done
"$bin" serve --database "$url" --port $portB > "$work/b.log" 2>&1 & pids+=($!)
for i in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$portB/-/health" && break; sleep 0.5; done
A="http://127.0.0.1:$portA"; B="http://127.0.0.1:$portB"

echo "-- 1. inloggen op A, verder op B"
token=$(curl -s -c "$work/jar" -b "$work/jar" "$A/inloggen" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$work/jar" -b "$work/jar" --data-urlencode "csrf=$token" \
  --data-urlencode "gebruikersnaam=beheer@example.nl" --data-urlencode "wachtwoord=een-goed-wachtwoord" "$A/inloggen")
[ "$code" = 303 ] || fail "inloggen op A gaf $code"
page=$(curl -s -b "$work/jar" "$B/beheer/gebruikers")
grep -q "Bea Beheer" <<<"$page" || fail "B kent de sessie van A niet"
echo "   B herkent de sessie: ja"

echo "-- 2. schrijven op A, lezen op B"
token=$(curl -s -b "$work/jar" "$A/beheer/gebruikers" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" --data-urlencode "csrf=$token" --data-urlencode "gebruikersnaam=analist@amsterdam.nl" \
  --data-urlencode "naam=Anna Analist" --data-urlencode "rol=analist" --data-urlencode "gemeenten=GM0088" \
  --data-urlencode "wachtwoord=nog-een-wachtwoord" "$A/beheer/gebruikers")
[ "$code" = 303 ] || fail "toevoegen op A gaf $code"
curl -s -b "$work/jar" "$B/beheer/gebruikers" | grep -q "analist@amsterdam.nl" || fail "B ziet de nieuwe gebruiker niet"
echo "   B ziet wat A schreef: ja"

echo "-- 2b. een eigen indicator publiceren op A: B kent hem zonder herstart"
token=$(curl -s -b "$work/jar" "$A/gemeenten/GM0088/eigen-indicatoren" | csrf)
page=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$work/jar" --data-urlencode "csrf=$token" --data-urlencode "code=speeltuinbezoek" \
  --data-urlencode "naam=Bezoek aan speeltuinen" --data-urlencode "definitie=Bezoeken aan bemande speeltuinen per jaar." \
  --data-urlencode "eenheid=aantal" --data-urlencode "decimalen=0" --data-urlencode "bron.uitgever=Gemeente Zutphen" \
  --data-urlencode "bron.tabel=Turflijsten" --data-urlencode "bron.titel=Bezoek speeltuinen" --data-urlencode "peilmoment=kalenderjaar" \
  --data-urlencode "polariteit=hoger_gunstig" --data-urlencode "lading=positief" --data-urlencode "rol=basis" \
  --data-urlencode "rol_waarom=Spelen is de vrije tijd zelf." --data-urlencode "sferen=vrijetijd" --data-urlencode "perspectieven=aanbod" \
  --data-urlencode "kennisvragen=staat" --data-urlencode "beeld=lokaal" --data-urlencode "leeftijd=4-12 jaar" \
  --data-urlencode "toelichting=Waar kinderen samen spelen." --data-urlencode $'gebruiksvoorbeelden=Vergelijk wijken\nVolg het bezoek' \
  --data-urlencode "kanttekeningen=Telt bezoeken, geen kinderen." --data-urlencode "aggregatie=som" \
  --data-urlencode "meetlast.producent=lokale_registratie" --data-urlencode "meetlast.minuten_per_respondent=2" \
  --data-urlencode "meetlast.respondenten_per_periode=5" --data-urlencode "meetlast.aanname=Vijf speeltuinwerkers turven." \
  "$A/gemeenten/GM0088/eigen-indicatoren")
[ -n "$page" ] || fail "de eigen indicator werd niet opgeslagen op A"
token=$(curl -s -b "$work/jar" "$page" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" --data-urlencode "csrf=$token" "$page/publiceren")
[ "$code" = 303 ] || fail "publiceren op A gaf $code"
seen=""
for i in $(seq 1 50); do
  if curl -s -b "$work/jar" "$B/api/v1/indicatoren" | grep -q '"gm0088_speeltuinbezoek"'; then seen=$i; break; fi
  sleep 0.2
done
[ -n "$seen" ] || fail "B kent de eigen indicator van A na 10 s nog niet"
curl -s "$B/api/v1/indicatoren" | grep -q '"gm0088_speeltuinbezoek"' && fail "B toont de eigen indicator aan een anonieme bezoeker"
echo "   B kent de indicator na $seen keer kijken (elke 0,2 s), een anonieme bezoeker ziet hem niet"

echo "-- 2c. nieuwe cijfers: een import naast de knooppunten is op B binnen 2 s te zien, ook als B het oude antwoord bewaarde"
figure="$B/api/v1/waarden?indicator=inwoners&gebied=GM0088&periode=2031"
curl -s "$figure" | grep -q '"total":0' || fail "B had voor de import al een cijfer voor 2031"
curl -s "$figure" > /dev/null  # now kept in B's response cache
printf 'indicator,gebied,periode,waarde\ninwoners,GM0088,2031,987\n' > "$work/nieuw.csv"
"$bin" import "$work/nieuw.csv" --database "$url" > "$work/import.log" 2>&1 || fail "de import naast de knooppunten mislukte"
imported=$(date +%s%N)
shown=""
for i in $(seq 1 40); do
  if curl -s "$figure" | grep -q '"waarde":987'; then shown=$(( ($(date +%s%N) - imported) / 1000000 )); break; fi
  sleep 0.05
done
[ -n "$shown" ] || fail "B toont het nieuwe cijfer 2 s na de import nog niet (bewaard antwoord van de oude datageneratie?)"
echo "   B toont het nieuwe cijfer ${shown} ms na de import"

echo "-- 3. PostgreSQL even weg"
$control stop >/dev/null
sleep 1
started=$(date +%s%N)
a=$(status "$A/gemeenten/GM0088"); b=$(status "$B/beheer/gebruikers")
took=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$a" = 503 ] && [ "$b" = 503 ] || fail "zonder PostgreSQL gaven A en B $a en $b (verwacht 503)"
curl -s "$A/gemeenten/GM0088" | grep -q "niet bereikbaar" || fail "de 503-pagina zegt niet wat er is"
echo "   A en B: 503 (beide antwoorden samen in ${took} ms)"
[ "$took" -lt 4000 ] || fail "een 503 hoort direct te komen als PostgreSQL weg is (nu ${took} ms voor twee verzoeken)"
sleep 3
$control start >/dev/null
recovered=""
for i in $(seq 1 60); do
  if [ "$(status "$A/gemeenten/GM0088")" = 200 ] && [ "$(status "$B/beheer/gebruikers")" = 200 ]; then recovered=$i; break; fi
  sleep 0.5
done
[ -n "$recovered" ] || fail "A en B herstelden niet binnen 30 s"
curl -s -b "$work/jar" "$B/beheer/gebruikers" | grep -q "Bea Beheer" || fail "de sessie overleefde de onderbreking niet"
echo "   hersteld zonder herstart, sessie nog geldig (na $recovered poging(en))"

echo "-- 4. pg_dump en pg_restore"
pg_dump -Fc -f "$work/pbmonitor.dump" "$url"
psql "$admin" -qc "CREATE DATABASE $restored" >/dev/null
pg_restore --no-owner -d "$base/$restored" "$work/pbmonitor.dump"
for table in observations areas accounts audit_log imports schema_migrations local_indicators; do
  x=$(psql "$url" -Atc "SELECT count(*) FROM $table"); y=$(psql "$base/$restored" -Atc "SELECT count(*) FROM $table")
  [ "$x" = "$y" ] || fail "$table: $x rijen, teruggezet $y"
done
x=$(psql "$url" -Atc "SELECT md5(string_agg(indicator || area_code || period || version || coalesce(value::text, status), ',' ORDER BY indicator, area_code, period, version)) FROM observations")
y=$(psql "$base/$restored" -Atc "SELECT md5(string_agg(indicator || area_code || period || version || coalesce(value::text, status), ',' ORDER BY indicator, area_code, period, version)) FROM observations")
[ "$x" = "$y" ] || fail "de cijfers verschillen na pg_restore"
echo "   $(psql "$url" -Atc 'SELECT count(*) FROM observations') cijfers, gebruikers en auditlog gelijk na pg_restore ($(du -k "$work/pbmonitor.dump" | cut -f1) kB dump)"
"$bin" user list --database "$base/$restored" | grep -q "analist@amsterdam.nl" || fail "pbmonitor leest de teruggezette database niet"
echo "twee knooppunten: in orde"
