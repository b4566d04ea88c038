// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: interrupt handlers (kernel/irq/manage.c, devres.c).
 *
 * Provides request_threaded_irq/devm_request_threaded_irq, free_irq and
 * synchronize_irq for the drivers' event queue, GERROR and CMDQV error
 * lines (arm-smmu-v3.c, tegra241-cmdqv.c).
 *
 * CUSTOMISED: the host side gives each requested line its own context, which
 * runs the handler in hard-IRQ context (cpu.c's smmusim_irq_enter) when the
 * simulator's interrupt controller raises the line, then the thread
 * function on IRQ_WAKE_THREAD (kernel_shim/README.md, Runtime).
 */
#include <linux/interrupt.h>
#include <linux/device.h>
#include <linux/slab.h>

#include "shim.h"

/* irq_default_primary_handler() of kernel/irq/manage.c: wake the thread. */
static irqreturn_t shim_default_primary(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id)
{
	if (!handler && !thread_fn)
		return -EINVAL;
	if (!handler)
		handler = shim_default_primary;
	return smmusim_host_request_irq(irq, (smmusim_irq_fn)handler, (smmusim_irq_fn)thread_fn,
					dev_id, devname);
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	smmusim_host_free_irq(irq, dev_id);
	return NULL;
}

void synchronize_irq(unsigned int irq)
{
	smmusim_host_synchronize_irq(irq);
}

struct smmusim_irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *p)
{
	struct smmusim_irq_devres *r = p;

	free_irq(r->irq, r->dev_id);
	kfree(r);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id)
{
	struct smmusim_irq_devres *r = kmalloc(sizeof(*r), GFP_KERNEL);
	int ret;

	if (!r)
		return -ENOMEM;
	if (!devname)
		devname = dev_name(dev);
	ret = request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
	if (ret) {
		kfree(r);
		return ret;
	}
	r->irq = irq;
	r->dev_id = dev_id;
	ret = __devm_add_action(dev, devm_irq_release, r, "devm_irq");
	if (ret)
		devm_irq_release(r);
	return ret;
}
