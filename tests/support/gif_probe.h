#pragma once
/// Decodes a GIF with Python Pillow (/usr/bin/python3, Debian python3-pil, installed by
/// scripts/install_deps.sh): an independent decoder for csd's animations.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace csd::test {

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
  const std::string command = "/usr/bin/python3 -c \"$CSD_GIF_PROBE\" '" + path + "' '" +
                              nlohmann::json(probes).dump() + "' 2>&1";
  setenv("CSD_GIF_PROBE", script.c_str(), 1);
  GifProbe probe;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    probe.error = "cannot run python3";
    return probe;
  }
  std::string output;
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, got);
  const int status = pclose(pipe);
  if (status != 0) {
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
  setenv("CSD_GIF_FRAME", script.c_str(), 1);
  const std::string command = "/usr/bin/python3 -c \"$CSD_GIF_FRAME\" '" + path + "' " +
                              std::to_string(frame) + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  if (pipe) {
    char buffer[65536];
    for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, got);
  }
  const int status = pipe ? pclose(pipe) : -1;
  std::vector<int> rgb;
  if (status != 0) {
    *error = output;
    return rgb;
  }
  std::istringstream in(output);
  for (int v; in >> v;) rgb.push_back(v);
  return rgb;
}

}  // namespace csd::test
