#!/usr/bin/env bash
# Maintainers only: refresh the third-party files the package ships in
# generator/static/vendor/ from npm, at the versions package-lock.json pins. Users never
# need Node: the files are package data inside the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
vendor=generator/static/vendor
copy() {  # package, file in the package, target folder[, its licence file]
  mkdir -p "$vendor/$3"
  cp "node_modules/$1/$2" "$vendor/$3/"
  cp "node_modules/$1/${4:-LICENSE}" "$vendor/$3/LICENSE.txt"
}
copy cytoscape dist/cytoscape.min.js cytoscape
copy world-atlas countries-50m.json world-atlas
copy leaflet.markercluster dist/leaflet.markercluster.js leaflet.markercluster MIT-LICENCE.txt
copy leaflet.markercluster dist/MarkerCluster.css leaflet.markercluster MIT-LICENCE.txt
{
  echo "# package version (from npm, pinned by package-lock.json; see scripts/vendor-assets.sh)"
  for package in cytoscape world-atlas leaflet.markercluster; do
    node -p "const p = require('./node_modules/$package/package.json'); p.name + ' ' + p.version + ' ' + p.license"
  done
} > "$vendor/VERSIONS"
echo "refreshed $vendor:"
cat "$vendor/VERSIONS"
