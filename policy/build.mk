# Userspace sources of the policy component (into libthinhv.a).
LIB_SRCS += policy/pol_blob.c
