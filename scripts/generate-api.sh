#!/usr/bin/env bash
# Regenerates Sources/HatifAPI/Generated/ from Sources/HatifAPI/openapi.yaml with swift-openapi-generator's
# command-line tool, the "manual invocation" its documentation describes for code that is committed.
# Run it after every change to openapi.yaml or openapi-generator-config.yaml; a test
# (GeneratedCodeTests) fails while the committed code is older than the document.
#
# Why committed and not the build plugin: the plugin builds the generator, OpenAPIKit and their
# dependencies in every clean build (minutes on a 2-core machine), for code that changes only
# with the document.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.14.3
work=.build-generator
api=Sources/HatifAPI
if [[ ! -d $work/swift-openapi-generator ]]; then
    mkdir -p "$work"
    git clone -q --branch "$version" https://github.com/apple/swift-openapi-generator "$work/swift-openapi-generator"
fi
swift build -c release --package-path "$work/swift-openapi-generator" --product swift-openapi-generator
out=$(mktemp -d)
"$work/swift-openapi-generator/.build/release/swift-openapi-generator" generate \
    --config "$api/openapi-generator-config.yaml" --output-directory "$out" "$api/openapi.yaml"
rm -rf "$api/Generated"
mkdir -p "$api/Generated"
cp "$out"/*.swift "$api/Generated/"
rm -rf "$out"
# The digest of the inputs the code was generated from, checked by GeneratedCodeTests.
cat "$api/openapi.yaml" "$api/openapi-generator-config.yaml" | sha256sum | cut -d' ' -f1 > "$api/Generated/inputs.sha256"
echo "generated $(ls "$api/Generated"/*.swift | wc -l) files into $api/Generated (swift-openapi-generator $version)"
