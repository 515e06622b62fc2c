#!/usr/bin/env bash
# The scale-out run of issue 16, with its numbers: the same input into the embedded store and,
# through NATS JetStream, into PostgreSQL with 1, 2 and 4 workers; each PostgreSQL store must
# hold exactly the embedded store's articles; re-ingesting adds nothing; a variant spelling
# finds its article; the API answers over PostgreSQL.
#
#   . .ci/services.sh            # throwaway PostgreSQL and NATS on loopback
#   bench/scaleout.sh [ARTICLES] [WORKERS...]     # default: 3000 articles, 1 2 4 workers
#
# ARTICLES are the last ones of ../shared/data/corpus/ant-multisource.jsonl.gz (held out from
# the sample), plus the seed page. RASED is the binary (default target/release/rased).
set -euo pipefail
cd "$(dirname "$0")/.."
R=${RASED:-target/release/rased}
N=${1:-3000}
shift || true
WORKERS=${*:-1 2 4}
: "${RASED_TEST_PG_URL:?run . .ci/services.sh first}" "${RASED_TEST_NATS_URL:?}"
work=$(mktemp -d /tmp/rased-scaleout.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
zcat ../shared/data/corpus/ant-multisource.jsonl.gz | tail -n "$N" >"$work/in/articles.jsonl"
cp ../shared/examples/seed-page.txt "$work/in/"
server=${RASED_TEST_PG_URL%/*}
fresh_db() {
    psql "$RASED_TEST_PG_URL" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
    psql "$RASED_TEST_PG_URL" -qAtc "CREATE DATABASE $1"
    echo "$server/$1"
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

t0=$(now)
"$R" ingest --quiet --data "$work/emb" "$work/in" 2>"$work/emb.log" || true
t1=$(now)
python3 -c "import sqlite3,sys; print('\n'.join(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT id FROM articles'))))" \
    "$work/emb/rased.sqlite" >"$work/emb.ids"
echo "embedded: $(wc -l <"$work/emb.ids") articles in $(secs "$t0" "$t1") s ($(tail -1 "$work/emb.log"))"
echo "    $("$R" status --data "$work/emb")"

for n in $WORKERS; do
    url=$(fresh_db "scaleout_w$n")
    export RASED_QUEUE_STREAM="SCALEOUT_W$n"
    # Workers first (each loads the analysis resources), then the units.
    for _ in $(seq "$n"); do
        "$R" worker --store "$url" --queue "$RASED_TEST_NATS_URL" --exit-when-idle 3 2>>"$work/w$n.log" &
    done
    sleep 2
    t0=$(now)
    "$R" ingest --store "$url" --queue "$RASED_TEST_NATS_URL" --wait "$work/in" 2>"$work/pub$n.log" || true
    t1=$(now)
    wait
    psql "$url" -qAtc "SELECT id FROM articles ORDER BY id COLLATE \"C\"" >"$work/pg$n.ids"
    same=$(cmp -s "$work/emb.ids" "$work/pg$n.ids" && echo "the same articles as embedded" || echo "DIFFERENT articles from embedded")
    echo "postgres, $n workers: $(wc -l <"$work/pg$n.ids") articles in $(secs "$t0" "$t1") s, $same"
    grep "units," "$work/w$n.log" | sed 's/^/    /'
    echo "    $("$R" status --store "$url")"
done

# On the last store: re-ingest adds nothing; a variant spelling; the API.
before=$(psql "$url" -qAtc "SELECT count(*) FROM articles")
"$R" worker --store "$url" --queue "$RASED_TEST_NATS_URL" --exit-when-idle 3 2>"$work/again.log" &
"$R" ingest --store "$url" --queue "$RASED_TEST_NATS_URL" --wait "$work/in" 2>/dev/null || true
wait
after=$(psql "$url" -qAtc "SELECT count(*) FROM articles")
echo "re-ingest: $before articles before, $after after ($(grep 'units,' "$work/again.log"))"
"$R" search --store "$url" --limit 1 كالين | head -3
"$R" serve --store "$url" --addr 127.0.0.1:18788 2>/dev/null &
serve=$!
sleep 2
echo "API over PostgreSQL: $(curl -s http://127.0.0.1:18788/api/status)"
kill "$serve"
wait
