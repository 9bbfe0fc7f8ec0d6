#!/usr/bin/env bash
# since: pages-from-the-kernel
# ls -l on a big directory: thousands of small allocations for names, stat
# results, user and group names, locale and time formatting.
set -euo pipefail
export LC_ALL=C
ls -l /usr/bin
ls -la --sort=size --time-style=long-iso /usr/lib | tail -n 20
