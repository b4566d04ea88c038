// SPDX-License-Identifier: GPL-2.0-only
// The guest driver model of an unmap's invalidation (guest_driver.h).
#include "guest_driver.h"

#include <string>
#include <utility>

namespace smmusim::studies {

namespace {

using Fields = std::vector<std::pair<std::string, uint64_t>>;

// The batch of arm_smmu_cmdq_batch_add_cmd_p(): a full batch is issued
// without a sync before the next command goes in.
class Batch {
public:
    void add(const smmuv3::EncodedCommand& c)
    {
        if (cur_.cmds.size() == kCmdqBatchEntries) {
            out_.push_back(std::move(cur_));
            cur_ = {};
        }
        cur_.cmds.push_back(c);
    }
    // arm_smmu_cmdq_batch_submit(): the rest, with CMD_SYNC.
    std::vector<Submission> submit()
    {
        cur_.sync = true;
        out_.push_back(std::move(cur_));
        return std::move(out_);
    }

private:
    Submission cur_;
    std::vector<Submission> out_;
};

// arm_smmu_inv_size_too_big(): 0 means everything; without RIL, a range of
// MAX_TLBI_OPS granules or more is one TLBI by ASID instead.
bool size_too_big(const GuestSmmu& smmu, const GuestUnmap& u)
{
    if (u.size == 0 || u.size == UINT64_MAX)
        return true;
    if (smmu.ril)
        return false;
    const uint64_t max_tlbi_ops = uint64_t(1) << (u.granule_log2 - 3);
    return u.size >= (max_tlbi_ops << u.granule_log2);
}

// arm_smmu_cmdq_batch_add_range() for TLBI_NH_VA (IHI 0070 4.4.1.1: with
// RIL a command covers (NUM + 1) << SCALE pages of TG, TTL the level of the
// leaf; without it one granule at a time, TG = TTL = 0).
void add_range(const GuestSmmu& smmu, const GuestUnmap& u, Batch& batch)
{
    const unsigned tg = u.pgsize_log2;
    uint64_t num_pages = 0, ttl = 0, tg_enc = 0;
    uint64_t inv_range = uint64_t(1) << u.granule_log2;
    if (smmu.ril) {
        num_pages = u.size >> tg;
        tg_enc = (tg - 10) / 2;  // 4K, 16K, 64K: 1, 2, 3
        if (u.leaf)
            ttl = 4 - ((u.granule_log2 - 3) / (tg - 3));
        else if ((num_pages & 31) == 1)
            num_pages++;  // no NUM = SCALE = 0 range for a non-leaf invalidation
    }
    for (uint64_t iova = u.iova, end = u.iova + u.size; iova < end; iova += inv_range) {
        Fields f{{"asid", u.asid}, {"leaf", u.leaf}, {"ttl", ttl}, {"tg", tg_enc}, {"addr", iova & ~uint64_t(0xfff)}};
        if (smmu.ril) {
            if (num_pages == 0)
                break;  // a size that is no whole number of pages: the pages are done
            const unsigned scale = static_cast<unsigned>(__builtin_ctzll(num_pages));
            const uint64_t num = (num_pages >> scale) & 31;
            f.push_back({"num", num - 1});
            f.push_back({"scale", scale & 0x1f});
            inv_range = num << (scale + tg);
            num_pages -= num << scale;
        }
        batch.add(smmuv3::encode_command("TLBI_NH_VA", f));
    }
}

}  // namespace

std::vector<Submission> guest_unmap_invalidation(const GuestSmmu& smmu, const GuestUnmap& u)
{
    Batch batch;
    if (size_too_big(smmu, u))
        batch.add(smmuv3::encode_command("TLBI_NH_ASID", {{"asid", u.asid}}));
    else
        add_range(smmu, u, batch);
    return batch.submit();
}

unsigned command_count(const std::vector<Submission>& subs)
{
    unsigned n = 0;
    for (const Submission& s : subs)
        n += static_cast<unsigned>(s.cmds.size());
    return n;
}

}  // namespace smmusim::studies
