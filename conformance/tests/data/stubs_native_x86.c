/*
 * The generated 32-bit x86 Xen stubs (stubs/xen-x86.h, stubs/xen-x86.S) run as a freestanding
 * i386 Linux program against an emulated Xen hypercall page that behaves like a debug Xen: it
 * answers xen_version and console_io, refuses other numbers with -ENOSYS, and poisons the
 * argument registers each call used with 0xdeadf00d. The first argument travels in ebx, which
 * the header never binds (the PIC register): this exercises the block the header passes in eax.
 * The program has no libc: `_start`, `write` and `exit` are Linux `int $0x80` system calls.
 * Each check prints one line; conformance/tests/stubs.rs judges.
 */
#include <stdint.h>

#include "xen-x86.h"
#include "xen-x86-broken.h"

#define POISON UINT32_C(0xdeadf00d)
#define ENOSYS ((uint32_t)-38)
#define EFAULT ((uint32_t)-14)

struct frame {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
};

void emu_dispatch(struct frame *f);
int cmain(void);
extern const unsigned char emu_hypercall_page[];

__asm__(
	".text\n"
	".globl _start\n"
	"_start:\n"
	"and $-16, %esp\n"
	"call cmain\n"
	"mov %eax, %ebx\n"
	"mov $1, %eax\n"
	"int $0x80\n"
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
	"pushfl\n"
	"push %ebp\n push %edi\n push %esi\n push %edx\n push %ecx\n push %ebx\n push %eax\n"
	"mov %esp, %eax\n"
	"mov %esp, %ebp\n"
	"and $-16, %esp\n"
	"sub $12, %esp\n"
	"push %eax\n"
	"cld\n"
	"call emu_dispatch\n"
	"mov %ebp, %esp\n"
	"pop %eax\n pop %ebx\n pop %ecx\n pop %edx\n pop %esi\n pop %edi\n pop %ebp\n"
	"popfl\n"
	"ret\n");

static void sys_write(const char *s, uint32_t n)
{
	uint32_t ret;
	__asm__ __volatile__("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx"
			     : "=a"(ret)
			     : "0"(4), "r"(1), "c"(s), "d"(n)
			     : "memory");
	(void)ret;
}

static void puts_(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	sys_write(s, n);
}

static void hex(uint32_t v)
{
	char b[11];
	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	puts_(b);
}

static void line(const char *name, int ok, uint32_t observed, uint32_t expected)
{
	puts_(name);
	puts_(ok ? " ok observed " : " FAIL observed ");
	hex(observed);
	puts_(" expected ");
	hex(expected);
	puts_("\n");
}

static const volatile unsigned char *guest_mem;
static uint32_t guest_len;
static volatile unsigned char console[64];
static uint32_t console_len;

static unsigned arg_count(uint32_t nr)
{
	switch (nr) {
	case 12: case 17: return 2;
	case 18: return 3;
	default: return 99;
	}
}

void emu_dispatch(struct frame *f)
{
	uint32_t nr = f->eax, ret = ENOSYS;
	unsigned n = arg_count(nr);
	if (nr == 17)
		ret = f->ebx == 0 ? 0x40011 : f->ebx == 7 ? 4096 : 0;
	else if (nr == 18 && f->ebx == 0) {
		uint32_t addr = f->edx, len = f->ecx, base = (uint32_t)(uintptr_t)guest_mem;
		if (guest_mem && addr >= base && addr + len <= base + guest_len &&
		    console_len + len <= sizeof console) {
			for (uint32_t i = 0; i < len; i++)
				console[console_len + i] = ((const volatile unsigned char *)addr)[i];
			console_len += len;
			ret = 0;
		} else
			ret = EFAULT;
	} else if (nr == 18)
		ret = 0;
	if (ret != ENOSYS && n != 99) {
		uint32_t *args[] = { &f->ebx, &f->ecx, &f->edx, &f->esi, &f->edi };
		for (unsigned i = 0; i < n; i++)
			*args[i] = POISON;
	}
	f->eax = ret;
}

static volatile uint32_t source;

#define LOOP(NAME, CALL)                                                               \
	static int NAME(const void *page)                                              \
	{                                                                              \
		uint32_t acc = 0, expect = 0;                                          \
		for (uint32_t i = 0; i < 1000; i++) {                                  \
			uint32_t a = source + i, b = source + 3 * i;                   \
			uint32_t v = CALL(page, 0, 0);                                 \
			uint32_t p = CALL(page, 7, 0);                                 \
			acc += v + p + a + b;                                          \
			expect += 0x40011 + 4096 + i + 3 * i;                          \
		}                                                                      \
		line(#NAME, acc == expect, acc, expect);                               \
		return acc == expect;                                                  \
	}

LOOP(loop_inline, xen_x86_xen_version)
LOOP(loop_asm, xen_x86_xen_version_asm)

/* `arg` arrives in ecx (regparm), where the stub needs it: a stub that claims ecx survives lets
 * the compiler read `arg` back from ecx after the trap. */
#define VIA(NAME, CALL)                                                                \
	__attribute__((noinline, regparm(3))) static uint32_t NAME(                     \
		const void *page, uint32_t cmd, uint32_t arg)                          \
	{                                                                              \
		uint32_t r = CALL(page, cmd, arg);                                     \
		return r + arg;                                                        \
	}

VIA(via_inline, xen_x86_xen_version)
VIA(via_broken, xen_x86_broken_xen_version)

static uint32_t io_inline(const void *p, uint32_t c, uint32_t n, uint32_t b)
{
	return xen_x86_console_io(p, c, n, b);
}
static uint32_t mem_inline(const void *p, uint32_t c, uint32_t a)
{
	return xen_x86_memory_op(p, c, a);
}

static int console_checks(const char *name,
			  uint32_t (*io)(const void *, uint32_t, uint32_t, uint32_t),
			  uint32_t (*mem)(const void *, uint32_t, uint32_t))
{
	static const unsigned char buf[] = "hello from a generated stub\n";
	const void *page = emu_hypercall_page;
	int ok = 1;
	guest_mem = buf;
	guest_len = sizeof buf - 1;
	console_len = 0;
	uint32_t r = io(page, 0, sizeof buf - 1, (uint32_t)(uintptr_t)buf);
	ok &= r == 0 && console_len == sizeof buf - 1;
	for (uint32_t i = 0; i < console_len; i++)
		ok &= console[i] == buf[i];
	ok &= io(page, 0, 4, 0x10) == EFAULT;
	ok &= mem(page, 0, 0) == ENOSYS;
	line(name, ok, r, 0);
	return ok;
}

int cmain(void)
{
	const void *page = emu_hypercall_page;
	int ok = 1;
	ok &= loop_inline(page);
	ok &= loop_asm(page);
	ok &= console_checks("console_inline", io_inline, mem_inline);
	ok &= console_checks("console_asm", xen_x86_console_io_asm, xen_x86_memory_op_asm);
	uint32_t good = via_inline(page, 7, source * 5 + 3);
	line("via_inline", good == 4096 + 3, good, 4096 + 3);
	ok &= good == 4096 + 3;
	uint32_t bad = via_broken(page, 7, source * 5 + 3);
	/* Judged by the test: the broken stub must come out wrong. */
	line("via_broken", bad == 4096 + 3, bad, 4096 + 3);
	return ok ? 0 : 1;
}
