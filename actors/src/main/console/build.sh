#!/bin/sh
# Builds the console into the actor module's classes (run by Maven in generate-resources):
# installs the locked npm packages when package-lock.json changed, then bundles with esbuild.
set -eu
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs "$@"
