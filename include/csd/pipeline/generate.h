#pragma once
/// Dataset generation (paper Sec. 2.2): S independent Cahn–Hilliard evolutions of T
/// frames on N×N grids, each from its own initial field, ⟨φ⟩ and misfit η, written to
/// the HDF5 schema of csd/io/dataset.h.
///
/// Sequence i depends only on (seed, i): its seed is init::sequence_seed(seed, i), from
/// which η, ⟨φ⟩, the amplitude and the Perlin field are drawn in a fixed order. The
/// solver noise (σ > 0) draws from a separate stream, so a noisy dataset starts from
/// the same initial fields as the deterministic one with the same seed (paper Fig. 6).
/// Sequences run in parallel and are written in index order, so the file does not
/// depend on the thread count.
///
/// Sharding (`shard` = "I/N"): a run writes only the sequences s ≡ I (mod N), into a
/// file of the full shape that records the shard (io::Shard); the N shard files of one
/// config, made on any machines, merge into the dataset a single run writes, byte for
/// byte (csd/pipeline/merge.h). Round-robin rather than blocks, so every shard has the
/// same work within one sequence whatever S and N are.
///
///   csd::pipeline::GenerateConfig config;   // paper defaults, 128², 100 frames
///   config.out = "train.h5"; config.sequences = 50;
///   csd::pipeline::generate(config);
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"
#include "csd/physics/batch_solver.h"
#include "csd/io/dataset.h"
#include "csd/physics/params.h"

namespace csd::pipeline {

struct GenerateConfig {
  std::string out;                        ///< output HDF5 path
  int sequences = 4;                      ///< S
  int frames = 100;                       ///< T, snapshots including t = 0
  int size = 128;                         ///< N
  std::optional<double> eta;              ///< fixed misfit (fraction); else drawn from eta_range
  std::array<double, 2> eta_range{0.0, 0.012};
  std::optional<double> mean_phi;         ///< fixed ⟨φ⟩; else drawn from mean_phi_range
  std::array<double, 2> mean_phi_range{0.2, 0.8};
  std::optional<double> amplitude;        ///< fixed peak amplitude; else |N(0, amplitude_std²)|
  double amplitude_std = 0.1;
  double feature_size = 16.0;             ///< Perlin lattice cell size (pixels)
  std::uint64_t seed = 0;
  double noise = 0.0;                     ///< solver noise σ per step (paper study: 7.5e-4)
  int threads = 0;                        ///< 0 = all cores
  std::string init = "perlin";            ///< perlin | radial | file
  std::string init_from;                  ///< HDF5 file for init = file
  std::string init_dataset = "phi";       ///< dataset name in init_from
  int init_index = 0;                     ///< sequence index in init_from
  double radial_centre = 0.6;             ///< ⟨φ⟩ at the centre (init = radial)
  double radial_edge = 0.3;               ///< ⟨φ⟩ at the edges (init = radial)
  int png_every = 0;                      ///< write a PNG every K frames (0 = none)
  int png_sequences = 4;                  ///< ... for the first few sequences only
  std::string fft_plans = "wisdom";       ///< wisdom (timed once per machine) | estimate
  std::string solver = "fftw";            ///< fftw (one sequence per thread) | torch (batched)
  std::string device = "cpu";             ///< cpu | cuda: where the torch solver runs
  int batch = 64;                         ///< sequences the torch solver advances together
  std::string shard;                      ///< "I/N": only sequences s ≡ I (mod N); empty = all
  int max_new_sequences = 0;              ///< stop after writing K sequences, leaving OUT.part
                                          ///< for --resume (time-limited batch jobs); 0 = all
  bool resume = false;
  bool overwrite = false;
  physics::Params physics;

  /// Throws csd::Error naming the bad option and its valid range.
  void validate() const;
  /// Full config as JSON: {"generate": {...}, "physics": {...}}.
  Json to_json() const;
  /// Reads sections "generate" and "physics" (both optional; unknown keys are errors).
  static GenerateConfig from_json(const Json& config);
};

/// Parses "I/N" (0 <= I < N); empty text is the whole dataset. Throws csd::Error
/// naming the text otherwise.
io::Shard parse_shard(const std::string& text);

/// The option table behind GenerateConfig's section "generate" and the CLI flags.
const OptionTable<GenerateConfig>& generate_options();

/// Initial conditions and parameters of one sequence, drawn from its seed.
struct SequenceSetup {
  double eta = 0, mean_phi = 0, amplitude = 0;
  std::uint64_t seed = 0;        ///< the sequence seed
  std::uint64_t field_seed = 0;  ///< seed of the initial Perlin field
  std::uint64_t noise_seed = 0;  ///< seed of the solver-noise stream
};
SequenceSetup draw_sequence(const GenerateConfig& config, int index);

struct GenerateSummary {
  int sequences_written = 0;  ///< in this run (resume skips finished ones)
  int sequences_already_complete = 0;  ///< of the shard's, found complete in the resumed file
  int sequences_left = 0;     ///< of the shard's, still missing after a run stopped by max_new_sequences
  bool finished = false;      ///< false when max_new_sequences stopped the run early
  bool writer_thread = false; ///< a spare core compressed and wrote the finished sequences
  double seconds = 0;
  double frames_per_second = 0;
};

/// Runs the whole generation; throws csd::Error on bad input. Never damages an
/// existing file: see io::DatasetWriter for the .part / rename protocol.
/// solver = "torch" needs `batch_solver` (surrogate::torch_solver_factory, LibTorch):
/// batches of `batch` sequences, in index order, advanced together; the file has the
/// same schema and, up to the rounding of the FFTs, the same data as solver = "fftw".
GenerateSummary generate(const GenerateConfig& config,
                         const physics::BatchSolverFactory& batch_solver = {});

}  // namespace csd::pipeline
