#!/bin/sh
# Fails when the shared library exports any symbol outside the sb_ namespace.
lib="$1"
all=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBRVW]/ {print $3}')
leaked=$(printf '%s\n' "$all" | grep -v '^sb_' | grep -v '^$')
count=$(printf '%s\n' "$all" | grep -c '^sb_')
if [ -n "$leaked" ]; then
  echo "symbols exported outside sb_*:"; printf '%s\n' "$leaked"; exit 1
fi
[ "$count" -ge 10 ] || { echo "only $count sb_ symbols exported: is visibility broken?"; exit 1; }
echo "exports: $count symbols, all sb_*"
