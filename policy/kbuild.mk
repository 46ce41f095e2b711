# Kernel objects of the policy component (paths relative to the tree top):
# the blob decoder/validator/matcher is pure C shared with userspace.
thinhv-y += policy/pol_blob.o
