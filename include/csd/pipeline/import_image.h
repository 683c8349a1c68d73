#pragma once
/// `csd import` as a library call: a grey micrograph (PNG or TIFF, csd/io/grey_image.h)
/// becomes a one-sequence, one-frame dataset (csd/io/dataset.h, source "image",
/// S = T = 1, η = 0, the default physics) that `csd rollout --from` and
/// `csd generate --init-from` read as their initial field.
///
/// Steps, in this order (csd/init/micrograph.h):
///   grey value g = sample / (2^bits − 1) in [0, 1]  (RGB: its luminance, logged)
///   --invert      g ↦ 1 − g
///   --size N      centre crop to N×N, one pixel = one grid cell (never resampled, so
///                 features keep their size in grid cells, which sets how they evolve
///                 against the fixed interface width); without it the image must be
///                 square already
///   --smooth σ    Gaussian blur, σ in pixels, mirrored edges
///   --mean-phi M  φ = clamp(g + c, 0, 1) with the shift c found by bisection so that
///                 ⟨φ⟩ = M after clipping (to float32 rounding); without it φ = g
/// N must be even and at least 4 (as for generate). The field is then periodic in csd's
/// solver and surrogate: a micrograph's opposite edges meet at a seam.
///
/// The output is written like every dataset: "<out>.part", renamed when complete; an
/// existing output is replaced only with `overwrite`; a failure leaves no file.
#include <optional>
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"

namespace csd::pipeline {

/// JSON section "import"; keys = member names = long flags (import_options()).
struct ImportJob {
  std::string image;                ///< PNG or TIFF file
  std::string out;                  ///< output HDF5
  bool invert = false;
  std::optional<double> mean_phi;   ///< target ⟨φ⟩ (unset: the grey values as they are)
  int size = 0;                     ///< N of the centre crop (0: the square image as it is)
  double smooth = 0.0;              ///< Gaussian σ in pixels (0: none)
  bool overwrite = false;

  /// Throws csd::Error naming the bad option.
  void validate() const;
  Json to_json() const;  ///< {"import": {...}}
  static ImportJob from_json(const Json& config);
};

const OptionTable<ImportJob>& import_options();

struct ImportSummary {
  int width = 0, height = 0, bits = 0;  ///< the image as read
  int size = 0;                         ///< N of the field written
  std::string conversion;               ///< e.g. RGB → luminance (empty for grey)
  double mean = 0, min = 0, max = 0;    ///< of the field written
  double shift = 0;                     ///< c of --mean-phi (0 without it)
  double clipped_fraction = 0;          ///< share of pixels at 0 or 1 after the shift
};

/// Throws csd::Error (one line) on a bad image or option; nothing is left behind.
ImportSummary import_image(const ImportJob& job);

}  // namespace csd::pipeline
