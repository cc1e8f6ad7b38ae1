# Sourced by scripts/*: build frontend/ into the package's static folder when its sources changed.

frontend_sources_hash() {
    # Everything the bundle depends on, except node_modules (pinned by package-lock.json).
    (cd frontend && find . -path ./node_modules -prune -o -type f -print | LC_ALL=C sort \
        | xargs sha256sum) | sha256sum | cut -d' ' -f1
}

ensure_frontend() {
    local force="${1:-}" static=src/anki_template_designer/server/static stamp want lock_stamp
    stamp="$static/.build-stamp"
    want="$(frontend_sources_hash)"
    if [[ "$force" != "--force" && -f "$stamp" && "$(cat "$stamp")" == "$want" \
            && -f "$static/index.html" ]]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "error: building the designer's UI needs Node 20+ and npm (apt-get install nodejs npm)" >&2
        return 1
    fi
    lock_stamp=frontend/node_modules/.atd-lock-stamp
    if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$(sha256sum frontend/package-lock.json)" ]]; then
        echo "Installing the UI's npm packages (pinned by frontend/package-lock.json)..." >&2
        (cd frontend && npm ci --no-audit --no-fund --loglevel=error) >&2
        sha256sum frontend/package-lock.json >"$lock_stamp"
    fi
    echo "Building the designer's UI..." >&2
    (cd frontend && npm run --silent build -- --logLevel warn) >&2
    echo "$want" >"$stamp"
}
