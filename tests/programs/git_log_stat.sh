#!/usr/bin/env bash
# since: buddies
# git_log_stat.sh: `git log --stat` on this repository: diffs of every commit
# shown, many small strings and hash tables. Only the 20 oldest commits, so that
# commits made between the plain run and the run on our library change nothing.
set -euo pipefail
export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1
git -C "$OBB_ROOT" rev-list --reverse HEAD > commits.txt
git -C "$OBB_ROOT" log --stat --date=iso-strict --no-walk=unsorted $(head -n 20 commits.txt)
