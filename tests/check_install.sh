#!/bin/sh
# Install into a scratch prefix, then build a consumer with find_package
# (SameMajorVersion) and another with pkg-config.
set -e
build="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
mkdir -p "$tmp/consumer"
cat > "$tmp/consumer/main.c" <<'C'
#include <switchboard.h>
#include <stdio.h>
int main(void) { printf("%s\n", sb_version_string()); return sb_version() == SB_VERSION_NUMBER ? 0 : 1; }
C
cat > "$tmp/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(switchboard 0.1 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE switchboard::switchboard)
CM
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/consumer/build" >/dev/null
LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/consumer/build/consumer"
# A different major version must not be accepted.
mkdir -p "$tmp/major1"
cat > "$tmp/major1/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(major1 NONE)
find_package(switchboard 1.0 QUIET)
if(switchboard_FOUND)
  message(FATAL_ERROR "a library of major version 0 was accepted for 1.0")
endif()
CM
cmake -S "$tmp/major1" -B "$tmp/major1/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
cc -std=c11 $(pkg-config --cflags switchboard) "$tmp/consumer/main.c" -o "$tmp/pc" $(pkg-config --libs switchboard)
LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/pc"
# The Twilio adapter, when built, installs beside the core with its own .pc.
if [ -f "$build/switchboard-twilio.pc" ]; then
  cat > "$tmp/consumer/tw.c" <<'C'
#include <switchboard.h>
#include <switchboard/twilio.h>
#include <stdio.h>
int main(void) { sb_twilio_options o; return sb_twilio_options_init(&o) == SB_OK && o.version == 1 ? 0 : 1; }
C
  cc -std=c11 $(pkg-config --cflags switchboard-twilio) "$tmp/consumer/tw.c" -o "$tmp/tw" $(pkg-config --libs switchboard-twilio)
  LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/tw"
  echo "install: the Twilio adapter's pkg-config consumer built and ran"
fi
echo "install: CMake package and pkg-config consumers built and ran"
