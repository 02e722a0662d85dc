#!/usr/bin/env bash
# Builds the JNI SHA3 lanes (sluice_keccak.c) into the module's classes, where dev.sluice.odf.NativeKeccak loads it
# from. Only on Linux x86-64 with a C compiler; anywhere else the build goes on without it and the Java Keccak is
# used. Usage (from Maven, process-classes): build.sh SOURCE_DIR CLASSES_DIR JAVA_HOME
set -euo pipefail
src="$1/sluice_keccak.c"
out="$2/dev/sluice/odf/native/linux-x86_64/libsluice_keccak.so"
jdk="$3"
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  echo "[sluice-keccak] not Linux x86-64: skipping the native SHA3 lanes (the Java ones are used)"; exit 0
fi
cc="${CC:-$(command -v gcc || command -v cc || true)}"
if [ -z "$cc" ]; then
  echo "[sluice-keccak] WARNING: no C compiler (gcc): skipping the native SHA3 lanes (the Java ones are used)"; exit 0
fi
[ -f "$jdk/include/jni.h" ] || jdk="$(dirname "$jdk")" # java.home of a JDK 8 layout
if [ -f "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
mkdir -p "$(dirname "$out")"
"$cc" -O3 -fPIC -shared -Wall -Wextra -Werror -I"$jdk/include" -I"$jdk/include/linux" -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
echo "[sluice-keccak] built $out"
