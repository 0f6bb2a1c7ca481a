#!/bin/sh
# Makes sure DIR/debian12-minbase.tar.zst holds a minimal Debian 12 (bookworm) system, bootstrapped
# with mmdebstrap --variant=minbase from the Debian mirror the host's apt sources name, and says
# which. A tarball made from other sources is made again; delete it to bootstrap afresh.
# usage: debian12_base.sh DIR
set -u
dir=$1
base=$dir/debian12-minbase.tar.zst

command -v mmdebstrap >/dev/null || { echo "FAIL: mmdebstrap not found: run test/install-deps"; exit 1; }

# apt itself reads /etc/apt/sources.list and sources.list.d/, in either format: every Debian
# bookworm suite the host fetches (main, updates, security), as one-line sources for the chroot.
# shellcheck disable=SC2016 # apt's fields, not the shell's
sources=$(apt-get indextargets --format '$(IDENTIFIER) $(TARGET_OF) $(ORIGIN) $(REPO_URI) $(CODENAME) $(COMPONENT)' |
    awk '$1 == "Packages" && $2 == "deb" && $3 == "Debian" && $5 ~ /^bookworm(-updates|-security)?$/ {
        print "deb " $4 " " $5 " " $6 }' | sort -u)
if [ -z "$sources" ]; then
    echo "FAIL: the host's apt sources name no Debian 12 (bookworm) mirror: add one under /etc/apt/sources.list.d/ and run apt-get update"
    exit 1
fi

if [ -f "$base" ] && [ "$(cat "$base.sources" 2>/dev/null)" = "$sources" ]; then
    echo "base system: cached $base"
    exit 0
fi

echo "base system: bootstrapping Debian 12 minbase from:"
echo "$sources" | sed 's/^/  /'
mkdir -p "$dir"
partial=$dir/partial-debian12-minbase.tar.zst
rm -f "$partial" "$base" "$base.sources"
old_ifs=$IFS
IFS='
'
# shellcheck disable=SC2086
set -- $sources
IFS=$old_ifs
# The package lists stay in the tarball: a later run's apt-get update then fetches only what changed.
start=$(date +%s)
if ! mmdebstrap --quiet --variant=minbase --skip=cleanup/apt/lists bookworm "$partial" "$@" \
    >"$dir/mmdebstrap.log" 2>&1; then
    tail -n 20 "$dir/mmdebstrap.log"
    rm -f "$partial"
    echo "FAIL: mmdebstrap could not bootstrap Debian 12 (its log above, in full in $dir/mmdebstrap.log): check the network and the mirror"
    exit 1
fi
# Renamed only once complete, so an interrupted bootstrap is never taken for a cached one.
mv "$partial" "$base" && echo "$sources" >"$base.sources" || exit 1
echo "base system: bootstrapped in $(($(date +%s) - start)) s, $(du -h "$base" | cut -f1)"
