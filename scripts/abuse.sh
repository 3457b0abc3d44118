#!/usr/bin/env bash
# A short, bounded abuse run against a live server (issue 17): every request goes to 127.0.0.1 only, every loop
# has a fixed count, and the whole run takes about a minute. The server must stay healthy throughout:
#   1. overflowing and extreme parameters on public pages and the API;
#   2. an 18 MB anonymous POST (refused with 413 before it is read) and an anonymous POST to a page for users (403);
#   3. a "PDF bomb" (a small PDF holding tens of megabytes of text) uploaded by a beheerder: refused, quickly;
#   4. a login storm from forty addresses behind a trusted proxy, with made-up names and the real name: the real
#      user still logs in from their own address;
#   5. an attacker recomputes hidden counts from the public downloads (scripts/attack.py) and finds none;
#   6. a form body that trickles in is cut off after its time limit (408), and ten downloads at once leave
#      /-/health fast (two run, the rest wait or get 429);
#   7. afterwards /-/health answers within a second and the process is still the one that started.
#
# Usage: scripts/abuse.sh BINARY     (needs curl, python3 and pdftotext)
set -euo pipefail
bin=$1
work=$(mktemp -d)
port=18301
base="http://127.0.0.1:$port"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FOUT: $*"; tail -n 30 "$work/serve.log" || true; exit 1; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@"; }
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
alive() {
  kill -0 "$pid" 2>/dev/null || fail "de server is gestopt ($1)"
  local t; t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 "$base/-/health") || fail "/-/health antwoordt niet ($1)"
  python3 -c "import sys; sys.exit(0 if float('$t') < 1.0 else 1)" || fail "/-/health duurde $t s ($1)"
}

echo "een-goed-wachtwoord" | "$bin" user add beheer@example.nl --rol beheerder --naam "Bea Beheer" --wachtwoord-stdin --database "$work/db.sqlite" >/dev/null
PBMONITOR_TRUSTED_PROXIES=127.0.0.1 "$bin" serve --database "$work/db.sqlite" --port $port --only-gemeenten GM0088 > "$work/serve.log" 2>&1 &
pid=$!
for i in $(seq 1 600); do curl -sf -o /dev/null "$base/-/health" && break; sleep 0.5; done
alive "start"

echo "-- 1. extreme parameters"
big=9223372036854775807
for path in "/api/v1/waarden?limit=$big&offset=$big" "/api/v1/waarden?versie=$big&indicator=inwoners&gebied=GM0088" \
            "/beheer/audit?pagina=$big" "/kaart/inwoners?klassen=$big" "/indicatoren/inwoners/versies?gebied=GM0088&periode=$big" \
            "/api/v1/zoeken?q=opvoeden&offset=$big&limit=$big" "/evaluaties?jaar=$big" "/gemeenten/GM0088/vergelijkbaar?k=$big" \
            "/api/v1/waarden?peildatum=9999-99-99" "/gemeenten/GM0088/interventies/$big" "/vragenlijst/$big?code=$big" "/export/inwoners?niveau=buurt&formaat=excel"; do
  c=$(code "$base$path")
  [ "$c" -lt 500 ] || fail "$path gaf $c"
done
alive "parameters"

echo "-- 2. grote anonieme POST"
head -c 18000000 /dev/zero | tr '\0' 'a' > "$work/big.txt"
start=$(date +%s.%N)
# With the visitor's form cookie (as a browser has it), so the size limit is what refuses it.
curl -s -o /dev/null -c "$work/anon" -b "$work/anon" "$base/inloggen"
c=$(curl -s -o "$work/big.html" -w '%{http_code}' --max-time 30 -c "$work/anon" -b "$work/anon" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-binary "@$work/big.txt" "$base/inloggen")
took=$(python3 -c "import time; print(round(time.time() - $start, 2))")
[ "$c" = "413" ] || fail "18 MB naar /inloggen gaf $c"
echo "   18 MB anoniem naar /inloggen: $c in $took s"
c=$(code -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$work/big.txt" "$base/gemeenten/GM0088/concepten")
[ "$c" = "403" ] || [ "$c" = "413" ] || fail "18 MB naar een pagina voor gebruikers gaf $c"
alive "grote POST"

echo "-- 3. PDF-bom"
python3 - "$work/bom.pdf" <<'PY'
import sys, zlib
# One page whose content stream draws 40 MB of text; deflated it is a few hundred kilobytes.
line = b"BT /F1 6 Tf 10 10 Td (" + b"opvoeden " * 60 + b") Tj ET\n"
content = zlib.compress(line * (40_000_000 // len(line)), 9)
objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
           b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
           b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out = b"%PDF-1.4\n"; offsets = []
for i, body in enumerate(objects, 1):
    offsets.append(len(out)); out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
echo "   PDF: $(stat -c %s "$work/bom.pdf") bytes"
jar="$work/jar"
token=$(curl -s -c "$jar" -b "$jar" "$base/inloggen" | csrf)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$token" --data-urlencode "gebruikersnaam=beheer@example.nl" \
  --data-urlencode "wachtwoord=een-goed-wachtwoord" "$base/inloggen"
token=$(curl -s -c "$jar" -b "$jar" "$base/documenten" | csrf)
[ -n "$token" ] || fail "niet ingelogd"
start=$(date +%s.%N)
c=$(curl -s -o "$work/bom.html" -w '%{http_code}' --max-time 60 -c "$jar" -b "$jar" -F "csrf=$token" -F gemeente=GM0088 -F datum=2025-01-01 \
  -F soort=motie -F "titel=Bom" -F "bestand=@$work/bom.pdf;type=application/pdf" "$base/documenten")
took=$(python3 -c "import time; print(round(time.time() - $start, 2))")
grep -q 'Niet toegevoegd' "$work/bom.html" || { grep -o 'role="alert">.\{0,400\}' "$work/bom.html" || true; fail "de PDF-bom werd niet geweigerd (status $c)"; }
grep -o '<li>bom.pdf[^<]*' "$work/bom.html" | sed 's/<li>/   melding: /' || true
echo "   PDF-bom geweigerd in $took s"
t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 10 "$base/documenten")
echo "   /documenten daarna: $t s"
alive "PDF-bom"

echo "-- 4. inlogstorm"
for i in $(seq 1 40); do
  for name in "verzonnen$i@example.nl" "beheer@example.nl"; do
    curl -s -o /dev/null --max-time 10 -c "$work/storm" -b "$work/storm" -H "X-Forwarded-For: 10.99.0.$i" "$base/inloggen"
    t=$(grep pbm_csrf "$work/storm" | awk '{print $NF}')
    curl -s -o /dev/null --max-time 10 -c "$work/storm" -b "$work/storm" -H "X-Forwarded-For: 10.99.0.$i" \
      --data-urlencode "csrf=$t" --data-urlencode "gebruikersnaam=$name" --data-urlencode "wachtwoord=fout-$i" "$base/inloggen"
  done
done
rm -f "$work/real"
curl -s -o /dev/null -c "$work/real" -b "$work/real" -H "X-Forwarded-For: 10.98.0.1" "$base/inloggen"
t=$(grep pbm_csrf "$work/real" | awk '{print $NF}')
c=$(curl -s -o /dev/null -w '%{http_code}' -c "$work/real" -b "$work/real" -H "X-Forwarded-For: 10.98.0.1" \
  --data-urlencode "csrf=$t" --data-urlencode "gebruikersnaam=beheer@example.nl" --data-urlencode "wachtwoord=een-goed-wachtwoord" "$base/inloggen")
[ "$c" = "303" ] || fail "na de storm kon de echte beheerder niet inloggen ($c)"
echo "   na 80 mislukte pogingen vanaf 40 adressen logt de beheerder gewoon in"
alive "inlogstorm"

echo "-- 5. aanvaller: terugrekenen uit de downloads (percentage x noemer, totaal min delen, herhaald)"
python3 scripts/attack.py "$base" "$work/db.sqlite" 2023 || fail "een verborgen aantal is terug te rekenen"
alive "aanvaller"

echo "-- 6. trage body en veel downloads tegelijk"
downloads=()
for i in $(seq 1 10); do
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$base/export/inwoners?formaat=json" >> "$work/downloads" &
  downloads+=($!)
done
alive "tien downloads"
python3 - "$port" <<'PY' || fail "een trage body werd niet afgebroken"
import socket, sys, time, re
port = int(sys.argv[1])
def request(data):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(data)
    return s
s = request(b"GET /inloggen HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
page = b""
while chunk := s.recv(65536): page += chunk
cookie = re.search(rb"pbm_csrf=([0-9a-f]{64})", page).group(1)
start = time.time()
# Announce 1000 bytes, send twenty, then nothing: the server must give up by itself.
s = request(b"POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n"
            b"Cookie: pbm_csrf=" + cookie + b"\r\n\r\ncsrf=" + cookie[:15])
answer = s.recv(4096)
status = answer.split(b" ")[1].decode() if answer else "geen antwoord"
took = round(time.time() - start, 1)
print(f"   een body die blijft hangen: {status} na {took} s")
sys.exit(0 if status == "408" and took < 45 else 1)
PY
wait "${downloads[@]}"
echo "   tien downloads tegelijk: $(sort "$work/downloads" | uniq -c | tr -s ' ' | tr '\n' ' ')"
grep -qv '^\(200\|429\)$' "$work/downloads" && fail "een download gaf iets anders dan 200 of 429"
alive "trage body"

echo "Misbruik doorstaan: de server draait nog en /-/health antwoordt binnen een seconde."
