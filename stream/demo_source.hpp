// stream/demo_source.hpp: `forumcast serve --demo`'s synthetic publisher: a
// test pattern (libavfilter testsrc2, 640x360, 25 fps) with the wall clock and
// the running time burned in (drawtext, when a font is installed), a 440 Hz
// tone, encoded with libx264 (1 s GOP) and AAC, paced in real time and pushed
// to an RTMP URL (normally forumcast's own front with the demo forum's key).
// It reconnects every few seconds while the front refuses or is down.
// Thread: its own; start/stop from any one thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"

namespace forumcast::stream {

struct DemoSourceOptions {
  int width = 640;
  int height = 360;
  int fps = 25;
  int video_kbps = 800;
  int audio_kbps = 96;
  int retry_ms = 2000;
  std::string font_file = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::string label = "forumcast demo";  // drawn above the clock
};

class DemoSource {
 public:
  DemoSource(std::string rtmp_url, DemoSourceOptions opts = {});
  ~DemoSource();  // stops
  DemoSource(const DemoSource&) = delete;
  DemoSource& operator=(const DemoSource&) = delete;

  void start();
  void stop();
  // Frames sent since start (for tests and logs).
  int64_t frames_sent() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace forumcast::stream
