// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: PCI (drivers/pci): one host bridge, one root bus and
 * the endpoint functions on it, each with a configuration space that the
 * host side's model holds (models/endpoint/pci_config.h), so that the SMMUv3
 * driver's ATS paths (arm_smmu_probe_device -> pci_prepare_ats,
 * arm_smmu_enable_ats -> pci_enable_ats, release -> pci_disable_ats) run
 * unmodified against it.
 *
 * Provides pci_bus_type (its dma_configure: of_iommu_configure() with the
 * host bridge's node, as pci_dma_configure() does: "iommu-map" gives the
 * RID's StreamID, "ats-supported" the IOMMU_FWSPEC_PCI_RC_ATS flag), the
 * configuration accessors, the extended-capability walk, what the real
 * drivers/pci/ats.c (compiled unmodified: pci_ats_init, pci_prepare_ats,
 * pci_enable_ats, pci_disable_ats, ...) calls from the rest of the PCI
 * core, the device iteration and DMA-alias queries of the
 * iommu core's pci_device_group(), and to the host side
 * smmusim_pci_{host_bridge_set,device_create,device_add,device_destroy}()
 * (include/smmusim/kernel.h).
 *
 * CUSTOMISED (each follows the contract of the kernel function it names;
 *   written here, nothing copied from drivers/pci/pci.c or search.c):
 *   config access    pci_{read,write}_config_{byte,word,dword}: the host
 *                    model; a misaligned or out-of-range access returns
 *                    PCIBIOS_BAD_REGISTER_NUMBER (reads: all ones)
 *   ext caps         pci_find_ext_capability: the chain from 0x100;
 *                    pci_find_dvsec_capability: the DVSECs in it
 *   topology         one root bus: pci_for_each_dma_alias calls fn once
 *                    with the function's own RID (no bridges, no alias
 *                    quirks); pci_devs_are_dma_aliases is false;
 *                    pci_get_device iterates the registered functions
 * STUBBED:
 *   pci_ats_disabled is false (no "pci=noats": no command line);
 *   pci_dev_specific_ats_required is false (no quirks);
 *   pci_request_acs, pci_dev_put (the host side owns the functions)
 * TRAPS: pci_acs_enabled, pci_acs_path_enabled (multifunction devices and
 *   bridges, which the simulated topology does not have)
 */
#include <linux/pci.h>
#include <linux/pci-ats.h>
#include <linux/of_iommu.h>
#include <linux/slab.h>

#include <smmusim/host.h>
#include <smmusim/kernel.h>
#include "shim.h"

static int shim_pci_dma_configure(struct device *dev);

const struct bus_type pci_bus_type = {
	.name = "pci",
	.dma_configure = shim_pci_dma_configure,
};

/* An endpoint function: the kernel's pci_dev and the host's config space. */
struct smmusim_pci_fn {
	struct pci_dev pdev;
	void *cfg;
	char name[16];		/* "0000:BB:DD.F" */
	struct list_head node;
	bool registered;
};

static struct pci_bus shim_root_bus;
static struct device *shim_host_bridge;	/* the bridge's platform device */
static LIST_HEAD(shim_pci_fns);

static struct smmusim_pci_fn *to_fn(const struct pci_dev *pdev)
{
	return container_of(pdev, struct smmusim_pci_fn, pdev);
}

/* pci_dma_configure(): the host bridge's node configures the function. */
static int shim_pci_dma_configure(struct device *dev)
{
	if (!shim_host_bridge || !shim_host_bridge->of_node)
		return -ENODEV;
	return of_iommu_configure(dev, shim_host_bridge->of_node, NULL);
}

/* ---- configuration space (drivers/pci/access.c) --------------------------- */

static int shim_cfg_read(const struct pci_dev *dev, int where, int size, u32 *val)
{
	if (!smmusim_host_pci_cfg_read(to_fn(dev)->cfg, where, size, val)) {
		*val = ~0u;
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}
	return PCIBIOS_SUCCESSFUL;
}

static int shim_cfg_write(const struct pci_dev *dev, int where, int size, u32 val)
{
	return smmusim_host_pci_cfg_write(to_fn(dev)->cfg, where, size, val) ? PCIBIOS_SUCCESSFUL
									       : PCIBIOS_BAD_REGISTER_NUMBER;
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int ret = shim_cfg_read(dev, where, 1, &v);

	*val = v;
	return ret;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int ret = shim_cfg_read(dev, where, 2, &v);

	*val = v;
	return ret;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return shim_cfg_read(dev, where, 4, val);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return shim_cfg_write(dev, where, 1, val);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return shim_cfg_write(dev, where, 2, val);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return shim_cfg_write(dev, where, 4, val);
}

/* The extended capability chain from 0x100; bounded, so a looping chain
 * ends (drivers/pci/pci.c bounds it the same way). */
u16 pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	u16 pos = PCI_CFG_SPACE_SIZE;
	u32 header;

	if (dev->cfg_size <= PCI_CFG_SPACE_SIZE)
		return 0;
	while (ttl-- > 0) {
		if (pci_read_config_dword(dev, pos, &header) || header == 0 || header == ~0u)
			return 0;
		if (PCI_EXT_CAP_ID(header) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			return 0;
	}
	return 0;
}

/* ---- what drivers/pci/ats.c calls from the rest of the PCI core --------- */

/* drivers/pci/pci.h, the PCI core's private header (not included: it is
 * the core's, and these are the only two of its names the shim uses). */
void pci_ats_init(struct pci_dev *dev);
bool pci_dev_specific_ats_required(struct pci_dev *dev);

/* drivers/pci/pci.c: the "pci=noats" command line; there is none. */
bool pci_ats_disabled(void)
{
	return false;
}

/* drivers/pci/pci.c: the DVSEC (extended capability 0x23) of that vendor
 * and ID; pci_ats_required() asks for CXL's. The functions have none but
 * the walk is the real rule: header 1's vendor in bits 15:0, header 2's ID
 * in bits 15:0 (PCIe Base Spec, Designated Vendor-Specific Extended
 * Capability). */
u16 pci_find_dvsec_capability(struct pci_dev *dev, u16 vendor, u16 dvsec)
{
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	u16 pos = PCI_CFG_SPACE_SIZE;
	u32 header, h1, h2;

	if (dev->cfg_size <= PCI_CFG_SPACE_SIZE)
		return 0;
	while (ttl-- > 0 && pos >= PCI_CFG_SPACE_SIZE) {
		if (pci_read_config_dword(dev, pos, &header) || header == 0 || header == ~0u)
			return 0;
		if (PCI_EXT_CAP_ID(header) == PCI_EXT_CAP_ID_DVSEC &&
		    !pci_read_config_dword(dev, pos + PCI_DVSEC_HEADER1, &h1) &&
		    !pci_read_config_dword(dev, pos + PCI_DVSEC_HEADER2, &h2) &&
		    (h1 & 0xffff) == vendor && (h2 & 0xffff) == dvsec)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
	}
	return 0;
}

/* drivers/pci/quirks.c: no device on this bus has an ATS quirk. */
bool pci_dev_specific_ats_required(struct pci_dev *dev)
{
	return false;
}

/* ---- topology: one root bus (drivers/pci/search.c, quirks.c) -------------- */

void pci_request_acs(void)
{
	/* STUB: records that ACS is wanted; nothing to enable. */
}

bool pci_acs_enabled(struct pci_dev *pdev, u16 acs_flags)
{
	SMMUSIM_TRAP(pci_acs_enabled);
	return false;
}

bool pci_acs_path_enabled(struct pci_dev *start, struct pci_dev *end, u16 acs_flags)
{
	SMMUSIM_TRAP(pci_acs_path_enabled);
	return false;
}

void pci_dev_put(struct pci_dev *dev)
{
	/* STUB: the host side owns the functions. */
}

bool pci_devs_are_dma_aliases(struct pci_dev *dev1, struct pci_dev *dev2)
{
	return false;	/* no dma_alias_mask, no quirks */
}

/* A function on the root bus is its own and only alias. */
int pci_for_each_dma_alias(struct pci_dev *pdev, int (*fn)(struct pci_dev *pdev, u16 alias, void *data),
			   void *data)
{
	return fn(pdev, pci_dev_id(pdev), data);
}

/* The registered functions after `from` (every one matches PCI_ANY_ID);
 * none after a function that is no longer registered. */
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from)
{
	struct list_head *pos = from ? &to_fn(from)->node : &shim_pci_fns;

	if (from && !to_fn(from)->registered)
		return NULL;

	for (pos = pos->next; pos != &shim_pci_fns; pos = pos->next) {
		struct smmusim_pci_fn *f = list_entry(pos, struct smmusim_pci_fn, node);

		if ((vendor == PCI_ANY_ID || vendor == f->pdev.vendor) &&
		    (device == PCI_ANY_ID || device == f->pdev.device))
			return &f->pdev;
	}
	return NULL;
}

/* ---- the bus's devices, for platform_bus.c's bus iteration --------------- */

int smmusim_pci_for_each_dev(struct device *start, void *data, device_iter_t fn)
{
	struct smmusim_pci_fn *f, *tmp;
	bool started = !start;
	int ret = 0;

	list_for_each_entry_safe(f, tmp, &shim_pci_fns, node) {
		if (!started) {
			started = &f->pdev.dev == start;
			continue;
		}
		ret = fn(&f->pdev.dev, data);
		if (ret)
			break;
	}
	return ret;
}

struct device *smmusim_pci_find_device(struct device *start, const void *data, device_match_t match)
{
	struct smmusim_pci_fn *f;
	bool started = !start;

	list_for_each_entry(f, &shim_pci_fns, node) {
		if (!started) {
			started = &f->pdev.dev == start;
			continue;
		}
		if (match(&f->pdev.dev, data))
			return &f->pdev.dev;
	}
	return NULL;
}

/* ---- the host side's functions --------------------------------------------- */

void smmusim_pci_host_bridge_set(void *bridge_pdev)
{
	shim_host_bridge = bridge_pdev ? smmusim_device_of(bridge_pdev) : NULL;
	shim_root_bus.number = 0;
	shim_root_bus.bridge = shim_host_bridge;
	INIT_LIST_HEAD(&shim_root_bus.devices);
}

/* What pci_setup_device() and pci_init_capabilities() (pci_ats_init) do. */
static void shim_pci_setup(struct smmusim_pci_fn *f, unsigned int rid)
{
	struct pci_dev *pdev = &f->pdev;
	u32 class;

	pdev->bus = &shim_root_bus;
	pdev->devfn = rid & 0xff;
	pdev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	pci_read_config_word(pdev, PCI_VENDOR_ID, &pdev->vendor);
	pci_read_config_word(pdev, PCI_DEVICE_ID, &pdev->device);
	pci_read_config_dword(pdev, PCI_CLASS_REVISION, &class);
	pdev->revision = class & 0xff;
	pdev->class = class >> 8;
	pci_read_config_byte(pdev, PCI_HEADER_TYPE, &pdev->hdr_type);
	pdev->hdr_type &= PCI_HEADER_TYPE_MASK;
	pdev->dma_mask = DMA_BIT_MASK(64);
	pci_ats_init(pdev);	/* drivers/pci/ats.c: finds the ATS capability */
	INIT_LIST_HEAD(&f->node);
}

void *smmusim_pci_device_create(unsigned int rid, void *cfg)
{
	struct smmusim_pci_fn *f;

	if (!shim_host_bridge || rid > 0xff)	/* one root bus: bus 0 */
		return NULL;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	f->cfg = cfg;
	shim_pci_setup(f, rid);
	snprintf(f->name, sizeof(f->name), "0000:00:%02x.%x", PCI_SLOT(rid), PCI_FUNC(rid));
	f->pdev.dev.init_name = f->name;
	f->pdev.dev.bus = &pci_bus_type;
	f->pdev.dev.parent = shim_host_bridge;
	f->pdev.dev.dma_mask = &f->pdev.dma_mask;
	f->pdev.dev.coherent_dma_mask = DMA_BIT_MASK(64);
	INIT_LIST_HEAD(&f->pdev.dev.devres_head);
	return &f->pdev;
}

/* device_add(): the iommu core's bus notifier probes it with the IOMMU. */
void smmusim_pci_device_add(void *p)
{
	struct smmusim_pci_fn *f = to_fn(p);

	list_add_tail(&f->node, &shim_pci_fns);
	f->registered = true;
	smmusim_bus_notify(&f->pdev.dev, BUS_NOTIFY_ADD_DEVICE);
}

/* device_del() (the iommu core releases it from its group), then free. */
void smmusim_pci_device_destroy(void *p)
{
	struct smmusim_pci_fn *f = to_fn(p);

	if (f->registered) {
		smmusim_bus_notify(&f->pdev.dev, BUS_NOTIFY_DEL_DEVICE);
		list_del_init(&f->node);
		f->registered = false;
		smmusim_bus_notify(&f->pdev.dev, BUS_NOTIFY_REMOVED_DEVICE);
	}
	kfree(f);
}

void *smmusim_pci_device_of(void *p)
{
	return &((struct pci_dev *)p)->dev;
}
