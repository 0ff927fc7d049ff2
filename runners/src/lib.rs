pub mod xen;
