#!/usr/bin/env bash
# Two app processes on loopback behind nginx (bench/nginx-loopback.conf), driven by bench/load.py; all stopped at the end.
#   bench/two_servers.sh --sessions 30 --seconds 60 --think 2 6
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p /tmp/cnn-playground-nginx
pids=()
cleanup() {
    nginx -c "$PWD/bench/nginx-loopback.conf" -s stop 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
for port in 8741 8742; do
    python -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        > "/tmp/cnn-playground-nginx/app-$port.log" 2>&1 &
    pids+=($!)
done
for port in 8741 8742; do
    for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/_stcore/health" > /dev/null && break; sleep 1; done
done
for port in 8741 8742; do  # warm both processes (the load tool's own warm-up reaches only one of them)
    python -c "import asyncio, sys; sys.path.insert(0, 'bench'); import load; asyncio.run(load.warm_up('http://127.0.0.1:$port'))"
done
nginx -c "$PWD/bench/nginx-loopback.conf"
curl -sf http://127.0.0.1:8740/_stcore/health > /dev/null
python bench/load.py --url http://127.0.0.1:8740 --pid "${pids[0]}" --pid "${pids[1]}" "$@"
