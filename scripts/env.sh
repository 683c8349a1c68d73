# Sourced by the scripts in this folder (not run): the one place that names the build
# folder, the csd binary and the build parallelism. Every variable can be set by the caller.
#   CSD_BUILD_DIR  build folder, configured by scripts/build.sh      (default: build)
#   CSD_BIN        the csd the scripts run, e.g. an installed one     (default: $CSD_BUILD_DIR/apps/csd)
#   CSD_JOBS       parallel build and test jobs                       (default: all cores)
CSD_BUILD_DIR="${CSD_BUILD_DIR:-build}"
CSD_BIN="${CSD_BIN:-$CSD_BUILD_DIR/apps/csd}"
CSD_JOBS="${CSD_JOBS:-$(nproc)}"
export CSD_BUILD_DIR CSD_BIN CSD_JOBS

# Refuses the old positional build-folder argument of the benchmark scripts.
csd_no_arguments() {
  if [ "$#" -gt 0 ]; then
    echo "error: $(basename "$0") takes no arguments; choose the build folder with" \
      "CSD_BUILD_DIR=$1" >&2
    exit 2
  fi
}
