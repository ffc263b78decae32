#!/bin/sh
# Creates a self-signed certificate for the dashboard's TLS server (scripts/https-server.mjs),
# valid for localhost and every IPv4 address of this machine, so a phone on the LAN can open
# https://<ip>:3443. Output: web/.certs/{cert,key}.pem (ignored by git). Extra names or
# addresses: EXTRA_SAN="DNS:trinetra.lan,IP:10.0.0.5" sh web/scripts/make-dev-cert.sh
set -eu
dir="$(cd "$(dirname "$0")/.." && pwd)/.certs"
mkdir -p "$dir"
san="DNS:localhost,IP:127.0.0.1"
for ip in $(hostname -I 2>/dev/null || true); do
  case "$ip" in *:*) ;; *) san="$san,IP:$ip" ;; esac
done
[ -n "${EXTRA_SAN:-}" ] && san="$san,$EXTRA_SAN"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" \
  -subj "/CN=Trinetra dev" -addext "subjectAltName=$san" >/dev/null 2>&1
chmod 600 "$dir/key.pem"
echo "Certificate for $san written to $dir"
