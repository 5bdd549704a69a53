"""vmm content: six images (cloud disk images and installer ISOs) imported from URLs."""
from . import names, topology as t
from .collection import Collection
from .ids import at, sha256_hex


def build(m):
    images = Collection(m, "vmm.v4.content.Image", "content/images")
    for index, spec in enumerate(t.IMAGES):
        images.add(_image(m, index, *spec))
    return images


def _image(m, index, name, kind, size, url, clusters):
    attributes = dict(
        ext_id=names.image_id(name), name=name, type=kind, size_bytes=size,
        description=("Installer ISO " if kind == "ISO_IMAGE" else "Cloud disk image ") + name,
        # Not the real digest of the file at the URL: nothing is downloaded; stable and well-formed.
        checksum=m.make("vmm.v4.content.ImageSha256Checksum", hex_digest=sha256_hex(f"image-content/{name}")),
        source=m.make("vmm.v4.content.UrlSource", url=url, should_allow_insecure_url=False),
        cluster_location_ext_ids=[names.cluster_id(c) for c in clusters],
        create_time=at(60 * index, name), last_update_time=at(60 * index + 7, name),
        owner_ext_id=names.admin_id(), owner_name="admin",
    )
    if kind == "DISK_IMAGE":
        attributes["category_ext_ids"] = [names.category_id("Environment", "Production")]
    return m.make("vmm.v4.content.Image", **attributes)
