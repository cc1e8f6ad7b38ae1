# Sourced by scripts/*: make sure .venv exists and holds the pinned project install.
# Idempotent: pip runs only when pyproject.toml or constraints.txt changed since the last install.

ensure_venv() {
    local root stamp want python log
    root="$(pwd)"
    if [[ ! -x .venv/bin/python ]]; then
        python="${PYTHON:-}"
        if [[ -z "$python" ]]; then
            for candidate in python3.11 python3.12 python3.13 python3; do
                if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
            done
        fi
        if [[ -z "$python" ]] || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
            return 1
        fi
        echo "Creating .venv with $("$python" --version)" >&2
        "$python" -m venv .venv
    fi
    stamp=.venv/.atd-install-stamp
    want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1) $root"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x .venv/bin/atd ]]; then
        return 0
    fi
    echo "Installing anki-template-designer[dev] into .venv (pinned by constraints.txt)..." >&2
    log="$(mktemp)"
    if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            -c constraints.txt -e '.[dev]' >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "error: installing the project into .venv failed (output above)" >&2
        return 1
    fi
    rm -f "$log"
    echo "$want" >"$stamp"
}
