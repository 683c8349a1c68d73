#include "csd/io/gif.h"

#include <gif_lib.h>

#include <cstdio>
#include <cstdint>
#include <unordered_map>

#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::io {
namespace {

std::uint32_t key(Rgb c) { return (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b; }

std::string gif_error(int code) {
  const char* text = GifErrorString(code);
  return text ? text : "giflib error " + std::to_string(code);
}

}  // namespace

const std::vector<Rgb>& gif_palette() {
  static const std::vector<Rgb> palette = [] {
    std::vector<Rgb> p;
    for (int i = 0; i < kGifViridisLevels; ++i)
      p.push_back(viridis(static_cast<double>(i) / (kGifViridisLevels - 1)));
    p.push_back({255, 255, 255});
    p.push_back({0, 0, 0});
    p.push_back(kNonFiniteColour);
    return p;
  }();
  return palette;
}

int gif_palette_index(Rgb colour) {
  const std::vector<Rgb>& palette = gif_palette();
  int best = 0;
  long best_distance = -1;
  for (size_t i = 0; i < palette.size(); ++i) {
    const long dr = long{colour.r} - palette[i].r, dg = long{colour.g} - palette[i].g,
               db = long{colour.b} - palette[i].b;
    const long distance = dr * dr + dg * dg + db * db;
    if (best_distance < 0 || distance < best_distance) {
      best = static_cast<int>(i);
      best_distance = distance;
    }
  }
  return best;
}

struct GifWriter::Impl {
  std::string path, tmp;
  int width = 0, height = 0, delay = 10, frames = 0;
  GifFileType* gif = nullptr;
  std::unordered_map<std::uint32_t, GifPixelType> index_of;  // colours seen so far

  GifPixelType index(Rgb c) {
    const auto [at, added] = index_of.try_emplace(key(c), 0);
    if (added) at->second = static_cast<GifPixelType>(gif_palette_index(c));
    return at->second;
  }
  void check(int status, const char* step) {
    if (status != GIF_ERROR) return;
    throw Error("writing GIF '" + path + "' failed at " + step + ": " + gif_error(gif->Error) +
                " (disk full?)");
  }
  void close_and_remove() {
    if (gif != nullptr) {
      int ignored = 0;
      EGifCloseFile(gif, &ignored);
      gif = nullptr;
    }
    std::remove(tmp.c_str());
  }
};

GifWriter::GifWriter(const std::string& path, int width, int height, int delay_centiseconds)
    : impl_(std::make_unique<Impl>()) {
  require(width > 0 && height > 0 && width <= 65535 && height <= 65535,
          "a GIF must be 1 to 65535 pixels wide and high (got " + std::to_string(width) + "x" +
              std::to_string(height) + ")");
  require(delay_centiseconds >= 0 && delay_centiseconds <= 65535, "GIF frame delay out of range");
  require_replaceable(path);
  require_writable_parent(path);
  Impl& g = *impl_;
  g.path = path;
  g.tmp = temporary_path(path);
  g.width = width;
  g.height = height;
  g.delay = delay_centiseconds;
  int error = 0;
  g.gif = EGifOpenFileName(g.tmp.c_str(), /*TestExistence=*/false, &error);
  if (g.gif == nullptr)
    throw Error("cannot write GIF '" + path + "': " + gif_error(error) + "; choose another path");
  try {
    EGifSetGifVersion(g.gif, true);  // GIF89a: frame delays and looping
    std::vector<GifColorType> colours;
    for (const Rgb& c : gif_palette()) colours.push_back({c.r, c.g, c.b});
    ColorMapObject* map = GifMakeMapObject(static_cast<int>(colours.size()), colours.data());
    require(map != nullptr, "out of memory for the GIF palette");
    const int status = EGifPutScreenDesc(g.gif, width, height, 8, gif_palette_index({255, 255, 255}), map);
    GifFreeMapObject(map);  // the screen descriptor keeps its own copy
    g.check(status, "the screen descriptor");
    // NETSCAPE2.0 application extension: loop count 0 = forever.
    const unsigned char loop[3] = {1, 0, 0};
    g.check(EGifPutExtensionLeader(g.gif, APPLICATION_EXT_FUNC_CODE), "the loop extension");
    g.check(EGifPutExtensionBlock(g.gif, 11, "NETSCAPE2.0"), "the loop extension");
    g.check(EGifPutExtensionBlock(g.gif, 3, loop), "the loop extension");
    g.check(EGifPutExtensionTrailer(g.gif), "the loop extension");
  } catch (...) {
    g.close_and_remove();
    throw;
  }
}

GifWriter::~GifWriter() {
  if (impl_) impl_->close_and_remove();
}

void GifWriter::add_frame(const Image& frame) {
  Impl& g = *impl_;
  require(g.gif != nullptr, "GIF '" + g.path + "' is already finished");
  require(frame.width == g.width && frame.height == g.height,
          "a GIF frame of " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
              " does not match the animation's " + std::to_string(g.width) + "x" +
              std::to_string(g.height));
  GraphicsControlBlock control{};
  control.DisposalMode = DISPOSE_DO_NOT;
  control.DelayTime = g.delay;
  control.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType extension[4];
  const size_t length = EGifGCBToExtension(&control, extension);
  g.check(EGifPutExtension(g.gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension),
          "a frame delay");
  g.check(EGifPutImageDesc(g.gif, 0, 0, g.width, g.height, false, nullptr), "a frame header");
  std::vector<GifPixelType> line(static_cast<size_t>(g.width));
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) line[x] = g.index(frame.at(x, y));
    g.check(EGifPutLine(g.gif, line.data(), g.width), "a frame row");
  }
  ++g.frames;
}

void GifWriter::finish() {
  Impl& g = *impl_;
  require(g.gif != nullptr, "GIF '" + g.path + "' is already finished");
  require(g.frames > 0, "GIF '" + g.path + "' has no frames");
  int error = 0;
  const int status = EGifCloseFile(g.gif, &error);
  g.gif = nullptr;  // closed (and freed) whatever the status
  if (status == GIF_ERROR) {
    std::remove(g.tmp.c_str());
    throw Error("writing GIF '" + g.path + "' failed: " + gif_error(error) + " (disk full?)");
  }
  atomic_rename(g.tmp, g.path);
  g.tmp.clear();  // nothing left to remove
}

int GifWriter::frames() const { return impl_->frames; }

}  // namespace csd::io
