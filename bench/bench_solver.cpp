// Cost of one solver frame (steps_per_frame steps of Eq. 8) against its FFT floor.
//
// A step needs one c2r and one r2c of the N×N field; everything else (w'(φ), the
// spectral update, the copy that keeps the c2r input) is overhead. The floor is
// measured in the same run through the same Spectral class: steps_per_frame ×
// (one r2c + one unnormalised c2r). Single thread (FFTW is used without threads).
//
//   bench_solver                      # table for N = 128, 256, 512, FFTW_ESTIMATE
//   bench_solver --measure --json     # FFTW_MEASURE plans, JSON output
//   bench_solver --sizes 64,128 --repeats 9
//   bench_solver --sizes 128 --generate 20  # + `csd generate` end to end, 1 thread
// With --generate F, each repeat also times pipeline::generate of 4 sequences of F
// frames (after φ₀) with one solver thread: the solver, energies, float32 frames and
// the HDF5 write, i.e. what `csd generate --threads 1` costs per frame, beside the same
// floor. On a machine with a second core, generate compresses and writes each finished
// sequence there (its writer thread) while the next one is solved; the last sequence's
// write is not overlapped, which the 4 sequences amortise as a real run's many do.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "csd/physics/solver.h"
#include "csd/physics/spectral.h"
#include "csd/pipeline/generate.h"

namespace {

using csd::physics::AlignedBuffer;
using csd::physics::PlanEffort;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<int> sizes{128, 256, 512};
  int repeats = 7;
  bool json = false;
  std::vector<PlanEffort> efforts{PlanEffort::kEstimate};
  int generate_frames = 0;  ///< > 0: also time pipeline::generate of this many frames
};

struct Row {
  int n;
  PlanEffort effort;
  double solver_ms, floor_ms;          ///< medians over the repeats
  double solver_min_ms, floor_min_ms;  ///< minima: robust when the machine is shared
  double generate_ms = 0;              ///< median per frame of pipeline::generate (0: not run)
  /// Median over the repeats of generate's time ÷ a floor block of as many frames timed
  /// right after it: both see the same machine state, which a shared VM changes by ±30 %
  /// between single frames (0: not run).
  double generate_ratio = 0;
};

void usage() {
  std::puts(
      "usage: bench_solver [--sizes N1,N2,...] [--repeats R] [--measure | --both] [--json]\n"
      "  --sizes    grid sizes N (default 128,256,512)\n"
      "  --repeats  timed frames per size; the median is reported (default 7)\n"
      "  --measure  plan FFTs with FFTW_MEASURE instead of FFTW_ESTIMATE\n"
      "  --both     report both plan efforts\n"
      "  --json     print a JSON array instead of the table\n"
      "  --generate F  also time `generate` of one sequence of F frames on one thread");
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "error: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--measure") {
      o.efforts = {PlanEffort::kMeasure};
    } else if (arg == "--both") {
      o.efforts = {PlanEffort::kEstimate, PlanEffort::kMeasure};
    } else if (arg == "--generate") {
      o.generate_frames = std::max(1, std::atoi(next().c_str()));
    } else if (arg == "--repeats") {
      o.repeats = std::max(1, std::atoi(next().c_str()));
    } else if (arg == "--sizes") {
      o.sizes.clear();
      std::stringstream list(next());
      for (std::string item; std::getline(list, item, ',');)
        o.sizes.push_back(std::atoi(item.c_str()));
    } else if (arg == "--help" || arg == "-h") {
      usage();
      std::exit(0);
    } else {
      std::fprintf(stderr, "error: unknown argument '%s' (see --help)\n", arg.c_str());
      std::exit(2);
    }
  }
  return o;
}

template <class F>
double milliseconds(F&& work) {
  const auto start = Clock::now();
  work();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

constexpr int kGenerateSequences = 4;

/// ms per frame of pipeline::generate: kGenerateSequences sequences of `frames` frames
/// after φ₀, one solver thread, the plans of `effort` (kMeasure: the per-machine wisdom
/// generate uses).
double generate_frame_ms(int n, PlanEffort effort, int frames) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("csd-bench-generate-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  csd::pipeline::GenerateConfig c;
  c.out = (dir / "bench.h5").string();
  c.sequences = kGenerateSequences;
  c.frames = frames + 1;
  c.size = n;
  c.threads = 1;
  c.eta = 0.006;
  c.mean_phi = 0.5;
  c.fft_plans = effort == PlanEffort::kEstimate ? "estimate" : "wisdom";
  const double ms =
      milliseconds([&] { csd::pipeline::generate(c); }) / (kGenerateSequences * frames);
  std::filesystem::remove_all(dir);
  return ms;
}

Row bench_size(int n, PlanEffort effort, int repeats, int generate_frames) {
  const csd::physics::Params params;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-0.05, 0.05);
  csd::Field phi0(n, n);
  for (int i = 0; i < phi0.size(); ++i) phi0.data()[i] = 0.5 + u(rng);

  csd::physics::Solver solver(phi0, 0.006, params, {}, effort);
  csd::physics::Spectral fft(n, effort);
  AlignedBuffer<double> real(static_cast<std::size_t>(n) * n), out(real.size());
  std::copy(phi0.data(), phi0.data() + phi0.size(), real.data());
  AlignedBuffer<std::complex<double>> spectrum(fft.spectral_size());
  auto floor_frame = [&] {
    // r2c reads the fixed `real`, so values never grow over the repeats.
    for (int s = 0; s < params.steps_per_frame; ++s) {
      fft.forward(real.data(), spectrum.data());
      fft.backward_unnormalised_destroying(spectrum.data(), out.data());
    }
  };

  solver.advance_frame();  // warm-up: caches, page faults, first-touch
  floor_frame();
  if (generate_frames > 0) generate_frame_ms(n, effort, 1);  // warm-up (and wisdom)
  std::vector<double> solver_ms, floor_ms, generate_ms, generate_ratios;
  for (int r = 0; r < repeats; ++r) {  // interleaved so all see the same machine load
    solver_ms.push_back(milliseconds([&] { solver.advance_frame(); }));
    floor_ms.push_back(milliseconds(floor_frame));
    if (generate_frames > 0) {
      generate_ms.push_back(generate_frame_ms(n, effort, generate_frames));
      const int block = kGenerateSequences * generate_frames;
      const double floor_block_ms = milliseconds([&] {
                                      for (int f = 0; f < block; ++f) floor_frame();
                                    }) / block;
      generate_ratios.push_back(generate_ms.back() / floor_block_ms);
    }
  }
  return {n,
          effort,
          median(solver_ms),
          median(floor_ms),
          *std::min_element(solver_ms.begin(), solver_ms.end()),
          *std::min_element(floor_ms.begin(), floor_ms.end()),
          generate_ms.empty() ? 0.0 : median(generate_ms),
          generate_ratios.empty() ? 0.0 : median(generate_ratios)};
}

const char* effort_name(PlanEffort e) { return e == PlanEffort::kMeasure ? "measure" : "estimate"; }

void print_table(const std::vector<Row>& rows, int steps) {
  std::printf("solver frame (%d steps, 1 thread) vs floor %d x (r2c + c2r), ms per frame\n",
              steps, steps);
  std::printf("%6s  %-9s %11s %11s %7s   %11s %11s %7s\n", "N", "plan", "solver_med",
              "floor_med", "ratio", "solver_min", "floor_min", "ratio");
  for (const Row& r : rows)
    std::printf("%6d  %-9s %11.3f %11.3f %7.3f   %11.3f %11.3f %7.3f\n", r.n,
                effort_name(r.effort), r.solver_ms, r.floor_ms, r.solver_ms / r.floor_ms,
                r.solver_min_ms, r.floor_min_ms, r.solver_min_ms / r.floor_min_ms);
  for (const Row& r : rows)
    if (r.generate_ms > 0)
      std::printf("generate end to end, N = %d, %s plans, 1 thread: %.3f ms per frame = %.3f x "
                  "the floor; %.3f x a floor block of as many frames timed beside it (median)\n",
                  r.n, effort_name(r.effort), r.generate_ms, r.generate_ms / r.floor_ms,
                  r.generate_ratio);
}

void print_json(const std::vector<Row>& rows, int steps) {
  std::printf("[");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::printf(
        "%s\n  {\"n\": %d, \"plan\": \"%s\", \"steps\": %d, \"solver_ms_per_frame\": %.4f, "
        "\"floor_ms_per_frame\": %.4f, \"ratio\": %.4f, \"solver_min_ms\": %.4f, "
        "\"floor_min_ms\": %.4f, \"ratio_of_minima\": %.4f, \"generate_ms_per_frame\": %.4f, "
        "\"generate_ratio_to_adjacent_floor\": %.4f}",
        i ? "," : "", r.n, effort_name(r.effort), steps, r.solver_ms, r.floor_ms,
        r.solver_ms / r.floor_ms, r.solver_min_ms, r.floor_min_ms,
        r.solver_min_ms / r.floor_min_ms, r.generate_ms, r.generate_ratio);
  }
  std::printf("\n]\n");
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  spdlog::set_level(spdlog::level::warn);  // generate's progress lines would break the table
  std::vector<Row> rows;
  for (PlanEffort effort : options.efforts)
    for (int n : options.sizes) {
      if (n < 2) {
        std::fprintf(stderr, "error: grid size must be >= 2 (got %d)\n", n);
        return 2;
      }
      rows.push_back(bench_size(n, effort, options.repeats, options.generate_frames));
    }
  const int steps = csd::physics::Params{}.steps_per_frame;
  if (options.json) {
    print_json(rows, steps);
  } else {
    print_table(rows, steps);
  }
  return 0;
}
