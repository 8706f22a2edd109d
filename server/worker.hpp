// server/worker.hpp: one background thread for blocking work that must not stall
// the network loop (password hashing, slow store calls from HTTP routes). Jobs
// run in order; results go back to the loop with Loop::defer or an HttpResponder.
// Threading: post() from any thread; the destructor finishes queued jobs and joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace forumcast {

class Worker {
 public:
  Worker();
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void post(std::function<void()> job);

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace forumcast
