#!/bin/sh
# A GPU discovery script for tests, in the format Spark expects of a real one (which would ask
# nvidia-smi): the first worker to run it gets fake GPUs 0 and 1, the next 2 and 3, so two workers
# on one host never hold the same address. Claims are directories beside the script (mkdir is
# atomic), so each copy of the script starts afresh.
claims="$(dirname "$0")/claims"
mkdir -p "$claims"
if mkdir "$claims/pair-0" 2>/dev/null; then
  echo '{"name": "gpu", "addresses": ["0", "1"]}'
else
  echo '{"name": "gpu", "addresses": ["2", "3"]}'
fi
