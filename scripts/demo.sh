#!/usr/bin/env bash
# `make demo`: the whole platform on SQLite with demo data, web server and background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var

# Development conveniences, opted into here only (production defaults stay strict).
export GUICHET_DEBUG="${GUICHET_DEBUG:-1}"
export GUICHET_SSL_REDIRECT=0 GUICHET_SECURE_COOKIES=0 GUICHET_HSTS_SECONDS=0
export GUICHET_STATIC_MANIFEST=0 GUICHET_EMAIL_BACKEND="${GUICHET_EMAIL_BACKEND:-console}"
export GUICHET_BASE_URL="http://127.0.0.1:${PORT}"

# A secret key and a demo password made once on this machine, kept in var/ (not in git).
[ -s var/secret-key ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(48))" > var/secret-key
[ -s var/demo-password ] || "$PY" -c "import secrets; print('demo-' + secrets.token_urlsafe(9))" > var/demo-password
chmod 600 var/secret-key var/demo-password
export GUICHET_SECRET_KEY="${GUICHET_SECRET_KEY:-$(cat var/secret-key)}"
export GUICHET_DEMO_PASSWORD="$(cat var/demo-password)"

"$PY" manage.py migrate --noinput
"$PY" manage.py load_demo > var/demo-accounts.txt
# The desk's daily job once now, then every morning in the worker (courriels dans var/desk-daily.log).
"$PY" manage.py run_desk_reminders --schedule > var/desk-daily.log 2>&1
# Collective actions' daily job (reminders before actions, follow-up surveys): same pattern.
"$PY" manage.py run_collective_daily --schedule > var/collective-daily.log 2>&1

"$PY" manage.py db_worker --no-reload > var/worker.log 2>&1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM

cat var/demo-accounts.txt
cat <<MSG

Guichet Export tourne sur http://127.0.0.1:${PORT}/ (Ctrl+C pour arrêter).
Mot de passe de tous les comptes de démonstration : $(cat var/demo-password)
Tâches de fond : worker lancé (journal dans var/worker.log). Courriels affichés dans ce terminal.
MSG
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload
