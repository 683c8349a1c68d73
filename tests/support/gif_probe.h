#pragma once
/// Decodes a GIF with Python Pillow (/usr/bin/python3, Debian python3-pil, installed by
/// scripts/install_deps.sh): an independent decoder for csd's animations. Callers check
/// python_imports("PIL") (python_modules.h) first, so a missing Pillow fails the test.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace csd::test {

/// Runs `script` with /usr/bin/python3 and `args` (already quoted for the shell); true
/// on exit status 0. `output` gets stdout and stderr.
inline bool run_python(const std::string& script, const std::string& args, std::string* output) {
  setenv("CSD_TEST_PYTHON_SCRIPT", script.c_str(), 1);  // no quoting of the script needed
  std::FILE* pipe = popen(("/usr/bin/python3 -c \"$CSD_TEST_PYTHON_SCRIPT\" " + args + " 2>&1").c_str(), "r");
  if (!pipe) {
    *output = "cannot run /usr/bin/python3";
    return false;
  }
  char buffer[65536];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output->append(buffer, got);
  return pclose(pipe) == 0;
}

struct GifProbe {
  std::string format;  ///< "GIF" when Pillow recognises it
  int frames = 0, width = 0, height = 0;
  /// RGB of the requested pixels, one [r, g, b] per probe.
  std::vector<std::vector<int>> pixels;
  bool ok = false;
  std::string error;
};

/// Opens `path` with Pillow and reads, for each probe {frame, x, y}, that pixel's RGB.
inline GifProbe probe_gif(const std::string& path, const std::vector<std::vector<int>>& probes = {}) {
  const std::string script =
      "import json, sys\n"
      "from PIL import Image, ImageSequence\n"
      "im = Image.open(sys.argv[1])\n"
      "frames = [f.convert('RGB') for f in ImageSequence.Iterator(im)]\n"
      "probes = json.loads(sys.argv[2])\n"
      "print(json.dumps({'format': im.format, 'frames': im.n_frames, 'width': im.size[0],\n"
      "  'height': im.size[1], 'pixels': [list(frames[f].getpixel((x, y))) for f, x, y in probes]}))\n";
  GifProbe probe;
  std::string output;
  if (!run_python(script, "'" + path + "' '" + nlohmann::json(probes).dump() + "'", &output)) {
    probe.error = output;
    return probe;
  }
  const auto j = nlohmann::json::parse(output);
  probe.format = j["format"].get<std::string>();
  probe.frames = j["frames"];
  probe.width = j["width"];
  probe.height = j["height"];
  probe.pixels = j["pixels"].get<std::vector<std::vector<int>>>();
  probe.ok = true;
  return probe;
}

/// Every pixel of frame `frame` as Pillow decodes it: width × height RGB triples, row-major
/// (empty, with the reason in `error`, when decoding fails).
inline std::vector<int> gif_frame_rgb(const std::string& path, int frame, std::string* error) {
  const std::string script =
      "import sys\n"
      "from PIL import Image\n"
      "im = Image.open(sys.argv[1]); im.seek(int(sys.argv[2]))\n"
      "print(' '.join(str(v) for px in im.convert('RGB').getdata() for v in px))\n";
  std::string output;
  std::vector<int> rgb;
  if (!run_python(script, "'" + path + "' " + std::to_string(frame), &output)) {
    *error = output;
    return rgb;
  }
  std::istringstream in(output);
  for (int v; in >> v;) rgb.push_back(v);
  return rgb;
}

}  // namespace csd::test
