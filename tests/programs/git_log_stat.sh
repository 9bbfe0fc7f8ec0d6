#!/usr/bin/env bash
# since: buddies
# git_log_stat.sh: `git log --stat` on this repository: diffs of every commit,
# many small strings and hash tables. Oldest commits first and only the first
# 3,000 lines, so that commits made between the two runs change nothing.
set -euo pipefail
export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1
git -C "$OBB_ROOT" log --stat --reverse --date=iso-strict > log.txt
head -n 3000 log.txt
