// SPDX-License-Identifier: GPL-2.0-only
#include "outputs.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "complain.h"

namespace smmusim {

namespace {

// One name per file: the inode of an existing one (hard links, symlinks and
// other spellings included), else the absolute, normalised path. A
// character device (/dev/null, a terminal) has none: what one output writes
// there cannot overwrite another's, so any number may share it.
std::string identity(const std::string& path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) == 0)
        return S_ISCHR(st.st_mode) ? std::string() : fmt::format("inode {}:{}", st.st_dev, st.st_ino);
    std::error_code ec;
    const auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    return "path " + (ec ? path : p.string());
}

// A symbolic link that leads to no file (stat() failed with `err`): the
// check's O_EXCL would say "File exists" of it. Not written through: the
// output would land wherever the link happens to point.
[[noreturn]] void refuse_broken_link(const OutputFile& o, int err)
{
    std::string target(4096, '\0');
    const ssize_t n = readlink(o.path.c_str(), target.data(), target.size());
    target.resize(n > 0 ? static_cast<size_t>(n) : 0);
    const std::string what =
        err == ENOENT  ? fmt::format("a dangling symbolic link (to {}, which does not exist)", shown_path(target))
        : err == ELOOP ? fmt::format("a symbolic link in a loop ({})", strerror(err))
                       : fmt::format("a symbolic link whose target cannot be reached ({})", strerror(err));
    throw OutputError(fmt::format("{} {}: is {}: remove the link, or give the file's own path", o.option,
                                  shown_path(o.path), what));
}

// Throws unless `path` can be opened for writing; changes nothing.
void check_writable(const OutputFile& o)
{
    struct stat st {};
    if (stat(o.path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            throw OutputError(fmt::format("{} {}: is a directory", o.option, shown_path(o.path)));
        // O_NONBLOCK: a FIFO without a reader answers at once (ENXIO).
        const int fd = open(o.path.c_str(), O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            throw OutputError(
                fmt::format("{} {}: cannot be written: {}", o.option, shown_path(o.path), strerror(errno)));
        close(fd);
        return;
    }
    const int err = errno;
    struct stat link {};
    if (lstat(o.path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
        refuse_broken_link(o, err);
    const int fd = open(o.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    // A path ending in '/' names a directory, whatever is there: open()'s
    // EISDIR ("Is a directory") would read as if one were.
    if (fd < 0 && errno == EISDIR && !o.path.empty() && o.path.back() == '/')
        throw OutputError(fmt::format("{} {}: the path names a directory (it ends in '/'), and an output is a "
                                      "file: give it without the '/'",
                                      o.option, shown_path(o.path)));
    if (fd < 0)
        throw OutputError(fmt::format("{} {}: cannot be created: {}", o.option, shown_path(o.path), strerror(errno)));
    close(fd);
    unlink(o.path.c_str());
}

// The kind of input a name ends in ("a trace", "a configuration"), in any
// case (`.TRACE` too), or "".
std::string kind_of_name(const std::string& name)
{
    const auto ends_with = [&name](const char* end) {
        const size_t n = std::strlen(end);
        return name.size() > n && strcasecmp(name.c_str() + name.size() - n, end) == 0;
    };
    return ends_with(".trace") ? "a trace" : ends_with(".toml") ? "a configuration" : "";
}

// What an existing regular file of an input's kind is ("a trace"), judged
// by the name it is given and by the name its symbolic links lead to
// (*target: that name when it differs), or "". A hard link under another
// name cannot be told from the file itself.
std::string input_kind(const std::string& path, std::string* target)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return "";
    if (std::string kind = kind_of_name(path); !kind.empty())
        return kind;
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(path, ec);
    if (ec)
        return "";
    *target = real.string();
    return kind_of_name(*target);
}

// Throws if `o` would write over an existing input of another kind; the
// message suggests the command line the user likely meant.
void refuse_input_kind(const OutputFile& o)
{
    std::string target;
    const std::string kind = o.is_input_kind ? "" : input_kind(o.path, &target);
    if (kind.empty())
        return;
    const std::string p = shown_path(o.path);
    if (!target.empty())
        throw OutputError(fmt::format("{} {}: is a symbolic link to {}, which is {} (an input), not written over",
                                      o.option, p, shown_path(target), kind));
    const std::string file = o.option == "--vcd" ? "FILE.vcd" : "FILE.json";
    const bool run_output = o.option == "--stats" || o.option == "--timeline" || o.option == "--vcd";
    const std::string meant = kind == "a configuration" ? fmt::format("--config {} {} {}", p, o.option, file)
                              : run_output           ? fmt::format("run {} {} {}", p, o.option, file)
                                                     : fmt::format("{} {}", o.option, file);
    throw OutputError(
        fmt::format("{} {}: {} is {} (an input), not written over; did you mean `{}`?", o.option, p, p, kind, meant));
}

}  // namespace

void check_outputs(const std::vector<OutputFile>& outputs, const std::vector<std::string>& inputs)
{
    std::vector<std::pair<std::string, std::string>> seen;  // identity, what
    for (const auto& in : inputs)
        if (!in.empty())
            seen.emplace_back(identity(in), fmt::format("the input {}", shown_path(in)));
    for (const auto& o : outputs) {
        if (o.path.empty())
            continue;
        const std::string id = identity(o.path);
        for (const auto& [other, what] : seen)
            if (!id.empty() && other == id)
                throw OutputError(fmt::format("{} {}: the same file as {}", o.option, shown_path(o.path), what));
        refuse_input_kind(o);
        check_writable(o);
        seen.emplace_back(id, fmt::format("{} {}", o.option, shown_path(o.path)));
    }
}

OutputWriter::OutputWriter(std::string option, std::string path) : option_(std::move(option)), path_(std::move(path))
{
    f_ = fopen(path_.c_str(), "w");
    if (!f_)
        throw OutputError(fmt::format("{} {}: cannot be created: {}", option_, shown_path(path_), strerror(errno)));
}

OutputWriter::~OutputWriter() { close(); }

void OutputWriter::failed(const char* what, int err)
{
    if (error_.empty())
        error_ = fmt::format("{} {}: cannot {}: {}", option_, shown_path(path_), what, strerror(err));
}

void OutputWriter::write(std::string_view s)
{
    if (!f_ || !error_.empty() || s.empty())
        return;
    errno = 0;
    if (fwrite(s.data(), 1, s.size(), f_) != s.size())
        failed("write", errno ? errno : EIO);
}

bool OutputWriter::close()
{
    if (!f_)
        return error_.empty();
    errno = 0;
    if (fflush(f_) != 0)
        failed("write", errno ? errno : EIO);
    errno = 0;
    if (fclose(f_) != 0)
        failed("close", errno ? errno : EIO);
    f_ = nullptr;
    return error_.empty();
}

std::string json_text(const nlohmann::json& j, int indent)
{
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace smmusim
