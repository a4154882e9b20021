#!/bin/sh
# SPDX-License-Identifier: MIT
#
# seed.sh [MARSLOG] -- (re)create the seed inputs of every fuzz target in
# test/fuzz/corpus/<name>/ from the samples and test cases.  Run from the
# top of the tree after `make`; then minimise what the fuzzers add with
#   build-fuzz/fuzz/fuzz_NAME -merge=1 NEWDIR test/fuzz/corpus/NAME build-fuzz/corpus/NAME
# into a fresh NEWDIR and replace the corpus with it (keep it small: at most
# a few hundred small files per target).
set -eu
marslog=${1:-build/marslog}
c=test/fuzz/corpus
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p $c/decode $c/errlog $c/failed $c/catalog $c/json $c/source
unzip -q -o samples/fs01.zip -d "$t/fs01"

# decode: the first 4 KiB of every encoding the samples hold, and damage
i=0
for f in "$t"/fs01/Temp/*.errlog "$t"/fs01/Temp/*.txt samples/fs02/Temp/*; do
	i=$((i + 1))
	head -c 4096 "$f" >$c/decode/sample$i
done
printf '\377\376A\000\000\330B\000\n\000' >$c/decode/utf16-lone-surrogate
printf '\377\376A\000B' >$c/decode/utf16-odd
printf '\357\273\277caf\303\251 \300\200 \355\240\200 \364\220\200\200\r\nx\ry\n' >$c/decode/utf8-invalid
printf '\000\000\000\000\000\000\000\000' >$c/decode/nuls

# errlog: the parser's examples and the start of real traces (UTF-8)
cp test/cases/errlog-examples.txt $c/errlog/examples
head -c 8192 samples/fs02/Temp/CBEngineCurr.errlog >$c/errlog/fs02-curr
iconv -f UTF-16LE -t UTF-8 "$t/fs01/Temp/CBEngineCurr.errlog" 2>/dev/null |
	head -c 8192 >$c/errlog/fs01-curr || true

# failed: the failed-files lists (UTF-8)
i=0
for f in "$t"/fs01/Temp/LastBackupFailedFiles*.txt samples/fs02/Temp/LastBackupFailedFiles*.txt; do
	i=$((i + 1))
	iconv -f UTF-16 -t UTF-8 "$f" >$c/failed/list$i 2>/dev/null || cp "$f" $c/failed/list$i
done

# catalog: the mini catalog, every rejected one, and a slice of the real one
cp test/cases/catalog-mini.tsv $c/catalog/mini.tsv
for f in test/cases/catalog-bad/*.tsv; do cp "$f" $c/catalog/bad-$(basename "$f"); done
head -c 12000 patterns/catalog.tsv >$c/catalog/builtin-head.tsv

# json: summaries the program writes
"$marslog" --json $c/json/fs02.json --year 2024 samples/fs02 || true
"$marslog" --json $c/json/notes.json samples/fs02/Temp/notes.txt 2>/dev/null || true

# source: small archives of every kind libarchive reads, and nesting
cp "$t"/fs01/Temp/older-logs.zip $c/source/older-logs.zip
(cd samples/fs02/Temp && zip -q -9 "$t/fs02.zip" LastBackupFailedFiles2c9e4_3_12_2024.txt notes.txt)
cp "$t/fs02.zip" $c/source/fs02.zip
(cd "$t" && zip -q nested.zip fs02.zip) && cp "$t/nested.zip" $c/source/nested.zip
tar -C samples/fs02/Temp -cf - notes.txt LastBackupFailedFiles2c9e4_3_12_2024.txt >$c/source/fs02.tar
tar -C samples/fs02/Temp -czf $c/source/fs02.tar.gz notes.txt
gzip -9c samples/fs02/Temp/notes.txt >$c/source/notes.txt.gz
xz -9c samples/fs02/Temp/notes.txt >$c/source/notes.txt.xz 2>/dev/null || true
(cd samples/fs02/Temp && 7z a -bd -y "$t/n.7z" notes.txt >/dev/null 2>&1) &&
	cp "$t/n.7z" $c/source/notes.7z || true
(cd samples/fs02/Temp && zip -q -P secret "$t/enc.zip" notes.txt) && cp "$t/enc.zip" $c/source/encrypted.zip
ln -s /etc/passwd "$t/link" && (cd "$t" && zip -q -y link.zip link) && cp "$t/link.zip" $c/source/symlink.zip
head -c 300 "$t/fs02.zip" >$c/source/truncated.zip
