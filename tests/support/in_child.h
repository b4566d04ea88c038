// SPDX-License-Identifier: GPL-2.0-only
// Runs a computation in a fresh child process and returns what it printed
// into a string: a SystemC simulation cannot restart, so a test that
// compares two simulations (the same scenario twice, or with a model switch
// on and off) runs each in a child of its own. Not here: anything about
// what the child simulates.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

namespace smmusim::test {

// fn()'s result, computed in a child process; "child failed" when the child
// did not exit normally after writing it all.
inline std::string in_child(const std::function<std::string()>& fn)
{
    int fds[2];
    if (pipe(fds) != 0)
        return "pipe failed";
    fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const std::string r = fn();
        _exit(write(fds[1], r.data(), r.size()) == ssize_t(r.size()) ? 0 : 2);
    }
    close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;)
        out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? out : "child failed";
}

}  // namespace smmusim::test
