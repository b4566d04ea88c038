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

// A path ending in '/' names a directory, whatever is there: open()'s
// EISDIR ("Is a directory") would read as if one were.
[[noreturn]] void refuse_directory_name(const OutputFile& o)
{
    throw OutputError(fmt::format("{} {}: the path names a directory (it ends in '/'), and an output is a "
                                  "file: give it without the '/'",
                                  o.option, shown_path(o.path)));
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
    if (fd < 0 && errno == EISDIR && !o.path.empty() && o.path.back() == '/')
        refuse_directory_name(o);
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

// An output of an input's kind (`study --emit-trace DIR`'s DIR/NAME.trace)
// is a file of its own in its directory: a symbolic link there is refused,
// wherever it leads (outside the directory, onto another trace: the output
// would replace that file).
void refuse_link_for_input_kind(const OutputFile& o)
{
    struct stat st {};
    if (!o.is_input_kind || lstat(o.path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
        return;
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(fs::absolute(o.path, ec), ec);
    const fs::path parent = fs::path(o.path).parent_path();
    const fs::path dir = fs::weakly_canonical(fs::absolute(parent.empty() ? fs::path(".") : parent, ec), ec);
    const bool inside = real.parent_path() == dir;
    struct stat target {};
    const bool exists = stat(o.path.c_str(), &target) == 0;
    const std::string leads = !inside                                       ? "outside its directory"
                              : exists && !kind_of_name(real.string()).empty() ? "onto an existing input"
                              : exists                                       ? "onto an existing file"
                                                                             : "to no file";
    throw OutputError(fmt::format("{} {}: is a symbolic link to {} ({}), not written through: the output is a "
                                  "file of its own in its directory; remove the link",
                                  o.option, shown_path(o.path), shown_path(real.string()), leads));
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
        refuse_link_for_input_kind(o);
        const std::string id = identity(o.path);
        for (const auto& [other, what] : seen)
            if (!id.empty() && other == id)
                throw OutputError(fmt::format("{} {}: the same file as {}", o.option, shown_path(o.path), what));
        refuse_input_kind(o);
        check_writable(o);
        seen.emplace_back(id, fmt::format("{} {}", o.option, shown_path(o.path)));
    }
}

OutputWriter::OutputWriter(std::string option, std::string path, bool is_input_kind)
    : option_(std::move(option)), path_(std::move(path))
{
    const OutputFile o{option_, path_, is_input_kind};
    refuse_link_for_input_kind(o);
    refuse_input_kind(o);
    const auto cannot = [this](int err) {
        return OutputError(fmt::format("{} {}: cannot be created: {}", option_, shown_path(path_), strerror(err)));
    };
    struct stat st {};
    const bool exists = stat(path_.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        throw OutputError(fmt::format("{} {}: is a directory", option_, shown_path(path_)));
    if (!exists) {
        const int err = errno;
        struct stat link {};
        if (lstat(path_.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
            refuse_broken_link(o, err);
        if (!path_.empty() && path_.back() == '/')
            refuse_directory_name(o);
    }
    if (exists && !S_ISREG(st.st_mode)) {  // a device, a FIFO: written in place
        f_ = fopen(path_.c_str(), "w");
        if (!f_)
            throw cannot(errno);
        return;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    target_ = exists ? fs::canonical(path_, ec).string() : path_;
    if (ec)
        target_ = path_;
    const fs::path parent = fs::path(target_).parent_path();
    const std::string dir = parent.empty() ? "." : parent.string();
    int fd = open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        temp_ = fmt::format("{}/.{}.smmusim-XXXXXX", dir, fs::path(target_).filename().string());
        fd = mkstemp(temp_.data());
        if (fd < 0)
            temp_.clear();
    }
    if (fd < 0 && exists) {
        // An existing file in a directory that takes no new name (one not
        // writable, /proc): written in place, the only way left.
        target_.clear();
        f_ = fopen(path_.c_str(), "w");
        if (!f_)
            throw cannot(errno);
        return;
    }
    if (fd < 0)
        throw cannot(errno);
    if (exists)
        fchmod(fd, st.st_mode & 07777);
    f_ = fdopen(fd, "w");
    if (!f_) {
        const int err = errno;
        ::close(fd);
        discard();
        throw cannot(err);
    }
}

OutputWriter::~OutputWriter()
{
    if (target_.empty())
        close();
    else
        discard();
}

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

void OutputWriter::discard()
{
    if (f_)
        fclose(f_);
    f_ = nullptr;
    if (!temp_.empty())
        unlink(temp_.c_str());
    temp_.clear();
}

// Gives the written file the name of target_ (one rename(), so a reader
// sees the old file or the whole new one).
bool OutputWriter::install()
{
    if (!temp_.empty()) {
        if (rename(temp_.c_str(), target_.c_str()) != 0) {
            failed("give the file its name", errno);
            return false;
        }
        temp_.clear();
        return true;
    }
    // The unnamed file gets a hidden name of its own first (linkat() makes
    // no name that exists), which rename() then moves onto the target.
    const std::filesystem::path t(target_);
    const std::string dir = t.parent_path().empty() ? "." : t.parent_path().string();
    const std::string proc = fmt::format("/proc/self/fd/{}", fileno(f_));
    for (unsigned i = 0; i < 1000; i++) {
        const std::string name = fmt::format("{}/.{}.smmusim-{}-{}", dir, t.filename().string(), getpid(), i);
        if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            if (errno == EEXIST)
                continue;
            failed("give the file its name", errno);
            return false;
        }
        if (rename(name.c_str(), target_.c_str()) != 0) {
            const int err = errno;
            unlink(name.c_str());
            failed("give the file its name", err);
            return false;
        }
        return true;
    }
    failed("give the file its name", EEXIST);
    return false;
}

bool OutputWriter::close()
{
    if (!f_)
        return error_.empty();
    errno = 0;
    if (fflush(f_) != 0)
        failed("write", errno ? errno : EIO);
    if (!target_.empty()) {
        // A regular file: named only when all of it was written.
        if (error_.empty())
            install();
        if (!error_.empty()) {
            discard();
            return false;
        }
    }
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
