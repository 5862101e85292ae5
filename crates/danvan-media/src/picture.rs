//! An uploaded image made safe to publish: decoded, turned the way the camera meant, and
//! encoded again from its pixels alone, so that no EXIF (the GPS position, the camera, the
//! owner's name) and no payload hidden after the picture reaches a reader. Measured, and
//! given a ThumbHash: a placeholder of about 25 bytes that a slow list shows until the
//! picture arrives.

use crate::MediaError;
use crate::format::Format;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;
use std::path::Path;

/// The most pixels an upload may have: a 50-megapixel camera's photo, about 200 MB once
/// decoded; more is refused before it is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;

/// A cleaned image.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The bytes kept as the original: JPEG, or PNG when the image has transparency.
    pub bytes: Vec<u8>,
    /// Their format.
    pub format: Format,
    /// The width in pixels, turned as it is seen.
    pub width: u32,
    /// The height in pixels.
    pub height: u32,
    /// The ThumbHash placeholder.
    pub thumbhash: Vec<u8>,
    /// The average colour, `#rrggbb`.
    pub colour: String,
}

/// Cleans the image in the file at `path`, of format `format` (as the bytes said).
pub fn clean(path: &Path, format: Format) -> Result<Picture, MediaError> {
    let image_format = match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::Webp => image::ImageFormat::WebP,
        _ => return Err(MediaError::Unsupported("not an image".into())),
    };
    let mut reader = ImageReader::open(path)?;
    reader.set_format(image_format);
    reader.limits(limits());
    let unreadable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => MediaError::TooLarge(format!(
            "an image may have at most {} megapixels",
            MAX_PIXELS / 1_000_000
        )),
        other => MediaError::Unreadable(format!("the image does not decode: {other}")),
    };
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(unreadable(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError),
        )));
    }
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    let (bytes, format) = encode_original(&image)?;
    let (thumbhash, colour) = placeholder(&image);
    Ok(Picture {
        bytes,
        format,
        width: image.width(),
        height: image.height(),
        thumbhash,
        colour,
    })
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    // The pixels of MAX_PIXELS in RGBA with 16 bits a channel, and the decoder's own.
    limits.max_alloc = Some(MAX_PIXELS * 8 + 64 * 1024 * 1024);
    limits
}

/// JPEG at quality 90 (a photo's original, from which every rendition is made), or PNG
/// when the image has transparency that JPEG would lose.
fn encode_original(image: &DynamicImage) -> Result<(Vec<u8>, Format), MediaError> {
    let mut out = Cursor::new(Vec::new());
    let failed = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    if image.color().has_alpha() {
        image
            .to_rgba8()
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(failed)?;
        return Ok((out.into_inner(), Format::Png));
    }
    let rgb = image.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&rgb)
        .map_err(failed)?;
    Ok((out.into_inner(), Format::Jpeg))
}

/// The ThumbHash of the image (made from at most 100 × 100 pixels, as the format needs)
/// and its average colour.
fn placeholder(image: &DynamicImage) -> (Vec<u8>, String) {
    let small = image.thumbnail(100, 100).to_rgba8();
    let hash = thumbhash::rgba_to_thumb_hash(
        small.width() as usize,
        small.height() as usize,
        small.as_raw(),
    );
    let colour = thumbhash::thumb_hash_to_average_rgba(&hash)
        .map(|(r, g, b, _)| {
            let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
        })
        .unwrap_or_else(|()| "#808080".into());
    (hash, colour)
}
