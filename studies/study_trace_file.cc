// SPDX-License-Identifier: GPL-2.0-only
// Where a study's trace is written (study_trace_file.h).
#include "study_trace_file.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "outputs.h"

namespace smmusim::studies {

namespace {

// Writes all of `text` to `fd` and closes it; false on any error (errno set).
bool write_all(int fd, const std::string& text)
{
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return ::close(fd) == 0;
}

}  // namespace

StudyTraceFile::StudyTraceFile(const std::string& dir, const std::string& name, const std::string& text)
{
    int fd;
    if (dir.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        path_ = fmt::format("{}/smmusim-study-XXXXXX.trace", tmp && *tmp ? tmp : "/tmp");
        fd = ::mkstemps(path_.data(), 6);
        temporary_ = fd >= 0;
    } else {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw std::runtime_error(fmt::format("--emit-trace {}: not a directory", dir));
        // A kept trace is an output like any other (outputs.h): written
        // whole or not at all, a symbolic link in DIR refused.
        path_ = dir + "/" + name;
        OutputWriter out("--emit-trace", path_, true);
        out.write(text);
        if (!out.close())
            throw OutputError(out.error());
        return;
    }
    if (fd < 0 || !write_all(fd, text)) {
        const int err = errno;
        if (temporary_)
            ::unlink(path_.c_str());
        throw std::runtime_error(fmt::format("{}: cannot write the study's trace: {}", path_, std::strerror(err)));
    }
}

StudyTraceFile::~StudyTraceFile()
{
    if (temporary_)
        ::unlink(path_.c_str());
}

}  // namespace smmusim::studies
