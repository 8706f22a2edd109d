// tests/support/wait.hpp: wait for a condition instead of sleeping. Polls `pred`
// every few milliseconds until it is true or the timeout passes.
#pragma once

#include <chrono>
#include <thread>

namespace forumcast::test {

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace forumcast::test
