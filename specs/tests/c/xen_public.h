/*
 * The parameter structs hyperabi's Xen specs declare, as Xen 4.17's public headers define them
 * (field order, types and the unions as written there), compiled by specs/tests/layout_c.rs
 * with each arch's C compiler to hold the model's layouts to what C gives.
 *
 * Sources (xen.git, RELEASE-4.17.0):
 *   xen/include/public/xen.h            typedef uint16_t domid_t
 *   xen/include/public/arch-arm.h       typedef uint64_t xen_ulong_t; guest handles are
 *                                       64-bit on arm32 and arm64 alike (__guest_handle_64)
 *   xen/include/public/arch-x86/xen.h   typedef unsigned long xen_ulong_t
 *   xen/include/public/memory.h         struct xen_memory_domain, struct xen_machphys_mapping
 *   xen/include/public/grant_table.h    struct gnttab_query_size, struct gnttab_get_version
 *   xen/include/public/event_channel.h  typedef uint32_t evtchn_port_t; struct evtchn_status
 *   xen/include/public/vcpu.h           struct vcpu_runstate_info
 *   xen/include/public/hvm/hvm_op.h     struct xen_hvm_param
 *   xen/include/public/physdev.h        struct physdev_irq_status_query
 *   xen/include/public/xen.h            uint64_aligned_t (8-aligned for Xen and its tools)
 *   xen/include/public/sysctl.h         struct xen_sysctl_physinfo; struct xen_sysctl with
 *                                       the physinfo member of its union u (pad[128])
 *   xen/include/public/arch-arm.h,      struct xen_arch_domainconfig (per arch)
 *   xen/include/public/arch-x86/xen.h
 *   xen/include/public/domctl.h         struct xen_domctl_getdomaininfo; struct xen_domctl with
 *                                       the getdomaininfo member of its union u (pad[128])
 *   xen/include/public/platform.h       struct xenpf_settime64, xenpf_pcpuinfo,
 *                                       xenpf_pcpu_version; struct xen_platform_op with those
 *                                       members of its union u (pad[128])
 */
#include <stddef.h>
#include <stdint.h>

typedef uint16_t domid_t;
typedef uint32_t evtchn_port_t;
#if defined(__arm__) || defined(__aarch64__)
typedef uint64_t xen_ulong_t;
#else
typedef unsigned long xen_ulong_t;
#endif

struct xen_memory_domain {
    domid_t domid;
};

struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};

struct gnttab_query_size {
    domid_t dom;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
};

struct gnttab_get_version {
    domid_t dom;
    uint16_t pad;
    uint32_t version;
};

struct evtchn_status {
    domid_t dom;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

struct vcpu_runstate_info {
    int state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

struct xen_hvm_param {
    domid_t domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};

struct physdev_irq_status_query {
    uint32_t irq;
    uint32_t flags;
};

#define uint64_aligned_t uint64_t __attribute__((__aligned__(8)))

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_aligned_t total_pages;
    uint64_aligned_t free_pages;
    uint64_aligned_t scrub_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t max_mfn;
    uint32_t hw_cap[8];
};

struct xen_sysctl {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct xen_sysctl_physinfo physinfo;
        uint8_t pad[128];
    } u;
};

typedef uint8_t xen_domain_handle_t[16];

#if defined(__arm__) || defined(__aarch64__)
struct xen_arch_domainconfig {
    uint8_t gic_version;
    uint16_t tee_type;
    uint32_t nr_spis;
    uint32_t clock_frequency;
};
#else
struct xen_arch_domainconfig {
    uint32_t emulation_flags;
    uint32_t misc_flags;
};
#endif

struct xen_domctl_getdomaininfo {
    domid_t  domain;
    uint16_t pad1;
    uint32_t flags;
    uint64_aligned_t tot_pages;
    uint64_aligned_t max_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t shr_pages;
    uint64_aligned_t paged_pages;
    uint64_aligned_t shared_info_frame;
    uint64_aligned_t cpu_time;
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits;
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};

struct xen_domctl {
    uint32_t cmd;
    uint32_t interface_version;
    domid_t  domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_getdomaininfo getdomaininfo;
        uint8_t pad[128];
    } u;
};

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;
    uint32_t max_present;
    uint32_t flags;
    uint32_t apic_id;
    uint32_t acpi_id;
};

struct xenpf_pcpu_version {
    uint32_t xen_cpuid;
    uint32_t max_present;
    char vendor_id[12];
    uint32_t family;
    uint32_t model;
    uint32_t stepping;
};

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct xenpf_settime64 settime64;
        struct xenpf_pcpuinfo pcpu_info;
        struct xenpf_pcpu_version pcpu_version;
        uint8_t pad[128];
    } u;
};
