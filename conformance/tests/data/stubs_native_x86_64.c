/*
 * The generated x86_64 Xen stubs (stubs/xen-x86_64.h, stubs/xen-x86_64.S) run natively against
 * an emulated Xen hypercall page that behaves like a debug Xen: it answers xen_version and
 * console_io, refuses other numbers with -ENOSYS, and poisons the argument registers each call
 * used with 0xdeadbeefdeadf00d (xen/arch/x86/pv/hypercall.c, clobber_regs in debug builds). The
 * argument counts come from Xen's hypercall-defs.c, not from the spec under test.
 *
 * Also built: xen-x86_64-broken.h, the header generated from a spec that wrongly declares the
 * argument registers preserved. Each check prints one line; conformance/tests/stubs.rs judges.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HYPERABI_DISPATCH
#include "xen-x86_64.h"
#undef HYPERABI_DISPATCH
#include "xen-x86_64-broken.h"

#define POISON UINT64_C(0xdeadbeefdeadf00d)
#define ENOSYS ((uint64_t)-38)
#define EFAULT ((uint64_t)-14)

/* The registers as emu_common pushes them. */
struct frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rflags;
};

void emu_dispatch(struct frame *f);
extern const unsigned char emu_hypercall_page[];

/* 128 stubs of 32 bytes, `mov $nr, %eax; jmp emu_common`, as Xen's page loads the number
 * itself. emu_common saves every register, lets C play hypervisor on the frame, and restores
 * every register from it. It pushes below the caller's stack pointer, as a PV page does. */
__asm__(
	".text\n"
	".balign 4096\n"
	".globl emu_hypercall_page\n"
	"emu_hypercall_page:\n"
	".set nr, 0\n"
	".rept 128\n"
	".balign 32\n"
	"mov $nr, %eax\n"
	"jmp emu_common\n"
	".set nr, nr + 1\n"
	".endr\n"
	".balign 32\n"
	"emu_common:\n"
	"pushfq\n"
	"push %r15\n push %r14\n push %r13\n push %r12\n push %r11\n push %r10\n push %r9\n push %r8\n"
	"push %rbp\n push %rdi\n push %rsi\n push %rdx\n push %rcx\n push %rbx\n push %rax\n"
	"mov %rsp, %rdi\n"
	"mov %rsp, %rbx\n"
	"and $-16, %rsp\n"
	"cld\n"
	"call emu_dispatch\n"
	"mov %rbx, %rsp\n"
	"pop %rax\n pop %rbx\n pop %rcx\n pop %rdx\n pop %rsi\n pop %rdi\n pop %rbp\n"
	"pop %r8\n pop %r9\n pop %r10\n pop %r11\n pop %r12\n pop %r13\n pop %r14\n pop %r15\n"
	"popfq\n"
	"ret\n");

static unsigned char *guest_mem;
static size_t guest_len;
static unsigned char console[256];
static size_t console_len;

/* Arguments per hypercall (xen/include/hypercall-defs.c); 99 = not a hypercall. */
static unsigned arg_count(uint64_t nr)
{
	switch (nr) {
	case 23: return 0;
	case 0: case 15: return 1;
	case 12: case 13: case 17: case 25: case 29: case 30: case 32: case 33: return 2;
	case 18: case 20: case 24: case 41: return 3;
	case 1: case 26: return 4;
	default: return 99;
	}
}

void emu_dispatch(struct frame *f)
{
	uint64_t nr = f->rax, ret = ENOSYS;
	unsigned n = arg_count(nr);
	if (nr == 17)
		ret = f->rdi == 0 ? 0x40011 : f->rdi == 7 ? 4096 : 0;
	else if (nr == 18 && f->rdi == 0) {
		uint64_t addr = f->rdx, len = f->rsi, base = (uint64_t)(uintptr_t)guest_mem;
		if (guest_mem && addr >= base && addr + len <= base + guest_len &&
		    console_len + len <= sizeof console) {
			memcpy(console + console_len, (const void *)(uintptr_t)addr, len);
			console_len += len;
			ret = 0;
		} else
			ret = EFAULT;
	} else if (nr == 18)
		ret = 0;
	/* A debug Xen poisons the arguments a call used, except on -ENOSYS. */
	if (ret != ENOSYS && n != 99) {
		uint64_t *args[] = { &f->rdi, &f->rsi, &f->rdx, &f->r10, &f->r8 };
		for (unsigned i = 0; i < n; i++)
			*args[i] = POISON;
	}
	f->rax = ret;
}

static volatile uint64_t source;

/* Values live across the calls: a stub that under-declares its clobbers lets the optimiser keep
 * them in the poisoned registers. */
#define LOOP(NAME, CALL)                                                               \
	static int NAME(const void *page)                                              \
	{                                                                              \
		uint64_t acc = 0, expect = 0;                                          \
		for (uint64_t i = 0; i < 1000; i++) {                                  \
			uint64_t a = source + i, b = source + 3 * i;                   \
			uint64_t v = CALL(page, 0, 0);                                 \
			uint64_t p = CALL(page, 7, 0);                                 \
			acc += v + p + a + b;                                          \
			expect += 0x40011 + 4096 + i + 3 * i;                          \
		}                                                                      \
		printf(#NAME " %s observed %#llx expected %#llx\n",                    \
		       acc == expect ? "ok" : "FAIL", (unsigned long long)acc,         \
		       (unsigned long long)expect);                                    \
		return acc == expect;                                                  \
	}

LOOP(loop_inline, xen_x86_64_xen_version)
LOOP(loop_asm, xen_x86_64_xen_version_asm)

/* The argument arrives in rdi, where the stub needs it: a stub that claims rdi survives lets the
 * compiler read `cmd` back from rdi after the trap. */
#define VIA(NAME, CALL)                                                                \
	__attribute__((noinline)) static uint64_t NAME(uint64_t cmd, uint64_t arg,      \
						       const void *page)                \
	{                                                                              \
		uint64_t r = CALL(page, cmd, arg);                                     \
		return r + cmd + arg;                                                  \
	}

VIA(via_inline, xen_x86_64_xen_version)
VIA(via_broken, xen_x86_64_broken_xen_version)

static int console_checks(const char *name,
			  uint64_t (*io)(const void *, uint64_t, uint64_t, uint64_t),
			  uint64_t (*mem)(const void *, uint64_t, uint64_t))
{
	static unsigned char buf[] = "hello from a generated stub\n";
	const void *page = emu_hypercall_page;
	int ok = 1;
	guest_mem = buf;
	guest_len = sizeof buf - 1;
	console_len = 0;
	uint64_t r = io(page, 0, sizeof buf - 1, (uint64_t)(uintptr_t)buf);
	ok &= r == 0 && console_len == sizeof buf - 1 && memcmp(console, buf, console_len) == 0;
	r = io(page, 0, 4, 0x10);
	ok &= r == EFAULT;
	r = mem(page, 0, 0);
	ok &= r == ENOSYS;
	printf("console_%s %s\n", name, ok ? "ok" : "FAIL");
	return ok;
}

/* The inline functions as pointers, so both paths share console_checks. */
static uint64_t io_inline(const void *p, uint64_t c, uint64_t n, uint64_t b)
{
	return xen_x86_64_console_io(p, c, n, b);
}
static uint64_t mem_inline(const void *p, uint64_t c, uint64_t a)
{
	return xen_x86_64_memory_op(p, c, a);
}

/* The dispatcher a guest harness runs plan cases through: by index, both paths. */
static int dispatch_checks(void)
{
	const void *page = emu_hypercall_page;
	uint64_t args[5] = { 7, 0, 0, 0, 0 }, res[1];
	int ok = 1;
	for (int via_asm = 0; via_asm < 2; via_asm++) {
		res[0] = 0;
		ok &= xen_x86_64_dispatch(via_asm, XEN_X86_64_INDEX_XEN_VERSION, page, args, 2, res, 1) == 1;
		ok &= res[0] == 4096;
		ok &= xen_x86_64_dispatch(via_asm, XEN_X86_64_INDEX_MEMORY_OP, page, args, 2, res, 1) == 1;
		ok &= res[0] == ENOSYS;
		/* Not run: a call that does not return, an unknown index, too few words. */
		ok &= xen_x86_64_dispatch(via_asm, XEN_X86_64_INDEX_IRET, page, args, 5, res, 1) == 0;
		ok &= xen_x86_64_dispatch(via_asm, 9999, page, args, 5, res, 1) == 0;
		ok &= xen_x86_64_dispatch(via_asm, XEN_X86_64_INDEX_XEN_VERSION, page, args, 1, res, 1) == 0;
	}
	printf("dispatch %s\n", ok ? "ok" : "FAIL");
	return ok;
}

int main(void)
{
	const void *page = emu_hypercall_page;
	int ok = 1;
	ok &= loop_inline(page);
	ok &= loop_asm(page);
	ok &= console_checks("inline", io_inline, mem_inline);
	ok &= console_checks("asm", xen_x86_64_console_io_asm, xen_x86_64_memory_op_asm);
	ok &= dispatch_checks();
	uint64_t good = via_inline(source, source, page);
	printf("via_inline %s observed %#llx expected %#llx\n", good == 0x40011 ? "ok" : "FAIL",
	       (unsigned long long)good, 0x40011ULL);
	ok &= good == 0x40011;
	uint64_t bad = via_broken(source, source, page);
	/* Judged by the test: the broken stub must come out wrong. */
	printf("via_broken observed %#llx expected %#llx\n", (unsigned long long)bad, 0x40011ULL);
	return ok ? 0 : 1;
}
