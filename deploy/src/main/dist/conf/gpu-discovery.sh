#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs of this node as Spark's resource JSON,
#   {"name": "gpu", "addresses": ["0", "1", ...]}
# Give it to Spark as spark.executor.resource.gpu.discoveryScript (and, on standalone workers,
# spark.worker.resource.gpu.discoveryScript). The addresses are CUDA device indices, which is what
# nashpo's training tasks bind to. With CUDA_VISIBLE_DEVICES set (YARN and Kubernetes isolate GPUs
# this way), the visible devices are renumbered from 0, as CUDA itself does.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found on $(hostname); is the NVIDIA driver installed?" >&2
  exit 1
fi
count=$(nvidia-smi --query-gpu=index --format=csv,noheader | grep -c .)
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  count=${#visible[@]}
fi
addresses=""
for ((i = 0; i < count; i++)); do
  addresses+="${addresses:+, }\"$i\""
done
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
