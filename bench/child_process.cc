// SPDX-License-Identifier: GPL-2.0-only
#include "child_process.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace smmusim::bench {

namespace {

// Starts the child with its stdout on a pipe; its pid and the pipe's read end.
pid_t spawn(const std::vector<std::string>& argv, int& out_fd)
{
    int p[2];
    if (pipe(p) != 0)
        throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        throw std::runtime_error(fmt::format("cannot start a child: {}", std::strerror(rc)));
    }
    out_fd = p[0];
    return pid;
}

std::string read_all(int fd)
{
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0)
            out.append(buf, size_t(n));
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(fd);
    return out;
}

}  // namespace

nlohmann::json run_child_process(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{"smmusim_bench", "--child"};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string what = fmt::format("child '{}'", fmt::join(args, " "));
    int fd = -1;
    const pid_t pid = spawn(argv, fd);
    const std::string out = read_all(fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(fmt::format("{} failed ({})", what,
                                             WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                                               : fmt::format("signal {}", WTERMSIG(status))));
    const size_t start = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
    const std::string last = out.substr(start == std::string::npos ? 0 : start + 1);
    const nlohmann::json j = nlohmann::json::parse(last, nullptr, false);
    if (!j.is_object())
        throw std::runtime_error(fmt::format("{} answered no JSON object: '{}'", what, last));
    return j;
}

}  // namespace smmusim::bench
