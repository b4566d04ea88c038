// SPDX-License-Identifier: GPL-2.0-only
#include "trace_gen.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <unistd.h>

#include "yardstick.h"

namespace smmusim::bench {

TempTrace::TempTrace(const std::function<void(std::FILE*)>& write)
{
    const char* dir = std::getenv("TMPDIR");
    std::string templ = fmt::format("{}/smmusim-bench-XXXXXX", dir && *dir ? dir : "/tmp");
    const int fd = mkstemp(templ.data());
    std::FILE* f = fd < 0 ? nullptr : fdopen(fd, "w");
    if (!f)
        throw std::runtime_error(fmt::format("cannot create a temporary trace as {}", templ));
    path_ = templ;
    write(f);
    const bool ok = !std::ferror(f);
    if (std::fclose(f) != 0 || !ok) {
        ::unlink(path_.c_str());
        throw std::runtime_error(fmt::format("cannot write the temporary trace {}", path_));
    }
}

TempTrace::~TempTrace() { ::unlink(path_.c_str()); }

void command_trace(std::FILE* out, uint64_t commands)
{
    fmt::print(out, "# smmusim_bench: {} commands on the SMMU CMDQ\n+{}\ncmdq enable log2size=8\n", commands,
               kYardstickIdleCycles);
    for (uint64_t i = 0; i < commands;) {
        const uint64_t batch = std::min<uint64_t>(commands - i, 128);
        for (uint64_t k = 0; k < batch; k++, i++) {
            if (k % 8 == 7)
                fmt::print(out, "cmd cmdq CMD_SYNC\n");
            else
                fmt::print(out, "cmd cmdq TLBI_NH_VA asid=1 addr={:#x}\n", (i & 0xfffff) << 12);
        }
        fmt::print(out, "doorbell cmdq\nwait consumed cmdq\n");
    }
    fmt::print(out, "@{}\n", kCommandsTail + kYardstickIdleCycles);
}

void map_unmap_trace(std::FILE* out, uint64_t pairs)
{
    fmt::print(out,
               "# smmusim_bench: {} map+unmap of a page through the real driver\n+{}\n"
               "kernel boot\nendpoint dma0 sid=0x10\ndomain d0 endpoint=dma0\n@{}\n",
               pairs, kYardstickIdleCycles, kMapUnmapStart);
    for (uint64_t i = 0; i < pairs; i++)
        fmt::print(out, "map d0 iova=0x100000 pa=0x90000000 size=0x1000\nunmap d0 iova=0x100000 size=0x1000\n");
    fmt::print(out, "@{}\n", kMapUnmapEnd + kYardstickIdleCycles);
}

}  // namespace smmusim::bench
