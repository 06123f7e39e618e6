#!/bin/sh
# The README's embedding example must compile (C11, -Werror) and run.
set -e
src="$1"; inc="$2"; lib="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/{on=1; next} /^```$/{if(on) exit} on' "$src/README.md" > "$tmp/embed.c"
lines=$(wc -l < "$tmp/embed.c")
[ "$lines" -ge 15 ] || { echo "README example missing ($lines lines)"; exit 1; }
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$inc" "$tmp/embed.c" -o "$tmp/embed" -L"$(dirname "$lib")" -lswitchboard
cd "$tmp" && LD_LIBRARY_PATH="$(dirname "$lib")" ./embed
echo "README example: $lines lines compiled and ran"
