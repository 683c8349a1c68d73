#include "csd/pipeline/import_image.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "csd/core/error.h"
#include "csd/init/initial_conditions.h"
#include "csd/init/micrograph.h"
#include "csd/io/dataset.h"
#include "csd/io/grey_image.h"
#include "csd/physics/energy.h"

namespace csd::pipeline {
namespace {

std::string dims(int width, int height) { return fmt::format("{}×{}", width, height); }

/// The grid the image gives without --size, or the reason it gives none.
void require_usable_shape(const ImportJob& job, const io::GreyImage& image) {
  const std::string what = "'" + job.image + "' is " + dims(image.width, image.height);
  const int shorter = std::min(image.width, image.height);
  require(shorter >= 4, what + "; csd import needs at least 4×4 pixels");
  if (job.size > 0) return;  // centre_crop checks that N fits
  const int even = shorter - shorter % 2;
  require(image.width == image.height,
          what + ", not square: pass --size N (even, at most " + std::to_string(even) +
              ") to centre-crop an N×N square");
  require(image.width % 2 == 0, what + "; csd grids have an even size: pass --size " +
                                    std::to_string(even) + " to centre-crop one");
}

}  // namespace

void ImportJob::validate() const {
  require(!image.empty(), "no image: give IMAGE.png or IMAGE.tif");
  require(!out.empty(), "no output file: give --out FILE.h5");
  require(size == 0 || (size >= 4 && size % 2 == 0),
          "size must be even and >= 4 (got " + std::to_string(size) + "; 0 = the image's own)");
  require(std::isfinite(smooth) && smooth >= 0, "smooth must be >= 0 pixels (0 = none)");
  if (mean_phi)
    require(*mean_phi > 0 && *mean_phi < 1,
            "mean_phi must be inside (0, 1) (got " + fmt::format("{:g}", *mean_phi) + ")");
}

const OptionTable<ImportJob>& import_options() {
  using J = ImportJob;
  static const OptionTable<J> table = {
      {"image", "grey micrograph: PNG or TIFF, 8 or 16 bits (RGB → luminance)",
       [](J& j) -> OptionRef { return &j.image; }},
      {"out", "output HDF5 file (1 sequence, 1 frame)", [](J& j) -> OptionRef { return &j.out; },
       {}, "-o"},
      {"invert", "phi = 1 - grey (bright becomes phase 0)", [](J& j) -> OptionRef { return &j.invert; }},
      {"mean_phi",
       "shift the grey values and clip to [0, 1] so that <phi> = M exactly [unset: as they are]",
       [](J& j) -> OptionRef { return &j.mean_phi; }},
      {"size", "centre-crop to N x N (even; no resampling) [0 = the square image as it is]",
       [](J& j) -> OptionRef { return &j.size; }},
      {"smooth", "Gaussian denoise, sigma in pixels [0 = none]", [](J& j) -> OptionRef { return &j.smooth; }},
      {"overwrite", "replace an existing output file", [](J& j) -> OptionRef { return &j.overwrite; }},
  };
  return table;
}

Json ImportJob::to_json() const { return Json{{"import", options_to_json(import_options(), *this)}}; }

ImportJob ImportJob::from_json(const Json& config) {
  ImportJob job;
  read_options(section_or_empty(config, "import"), "import", import_options(), job);
  return job;
}

ImportSummary import_image(const ImportJob& job) {
  job.validate();
  const io::GreyImage image = io::read_grey_image(job.image);
  require_usable_shape(job, image);
  ImportSummary summary;
  summary.width = image.width;
  summary.height = image.height;
  summary.bits = image.bits;
  summary.conversion = image.conversion;

  init::GreyField field{image.width, image.height, image.values};
  if (job.invert) init::invert(field);
  if (job.size > 0) field = init::centre_crop(field, job.size);
  init::gaussian_smooth(field, job.smooth);
  if (job.mean_phi) {
    summary.shift = init::shift_to_mean(field, *job.mean_phi);
    summary.clipped_fraction =
        static_cast<double>(std::count_if(field.values.begin(), field.values.end(),
                                          [](double v) { return v <= 0.0 || v >= 1.0; })) /
        static_cast<double>(field.values.size());
  }
  const int n = field.width;
  std::vector<float> phi(field.values.begin(), field.values.end());
  double sum = 0;
  for (float v : phi) sum += v;
  summary.size = n;
  summary.mean = sum / static_cast<double>(phi.size());
  const auto [lo, hi] = std::minmax_element(phi.begin(), phi.end());
  summary.min = *lo;
  summary.max = *hi;
  if (!job.mean_phi)
    require(summary.mean > 0 && summary.mean < 1,
            "'" + job.image + "' gives <phi> = " + fmt::format("{:g}", summary.mean) +
                ", but an initial field must lie between the phases 0 and 1: pass --mean-phi M");
  init::require_initial_mean(summary.mean, "'" + job.image + "'");  // what rollout/generate check

  io::DatasetInfo info;
  info.shape = {1, 1, n};
  info.config_json = job.to_json().dump();
  info.csd_version = CSD_VERSION;
  info.source = "image";
  io::DatasetWriter writer(job.out, info,
                           job.overwrite ? io::DatasetWriter::Mode::kOverwrite
                                         : io::DatasetWriter::Mode::kCreate,
                           io::DatasetWriter::kDefaultReorderLimitBytes, /*resumable=*/false);
  try {
    const physics::EnergyCalculator energy(n, info.physics);
    double amplitude = 0;
    for (float v : phi) amplitude = std::max(amplitude, std::abs(v - summary.mean));
    writer.write_sequence(0, {0.0, summary.mean, amplitude, 0}, phi, {energy(phi.data(), 0.0)});
    writer.finish();
  } catch (...) {
    writer.discard();  // an import cannot resume: leave no "<out>.part" behind
    throw;
  }
  return summary;
}

}  // namespace csd::pipeline
