//! Renditions: an image at one of the widths phones and pages ask for, in the format the
//! browser reads best. Made from the cleaned original, never larger than it.

use crate::MediaError;
use fast_image_resize::images::Image;
use fast_image_resize::{PixelType, Resizer};
use image::{DynamicImage, ExtendedColorType, ImageEncoder};

/// The formats a rendition is encoded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// AVIF: the smallest, read by current browsers.
    Avif,
    /// WebP: small, read by every current browser.
    Webp,
    /// JPEG: read everywhere.
    Jpeg,
}

impl Encoding {
    /// Every encoding, best first.
    pub const ALL: [Self; 3] = [Self::Avif, Self::Webp, Self::Jpeg];

    /// The encoding of a file name extension: `avif`, `webp`, `jpg`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "avif" => Some(Self::Avif),
            "webp" => Some(Self::Webp),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            _ => None,
        }
    }

    /// The extension it is asked by.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Avif => "avif",
            Self::Webp => "webp",
            Self::Jpeg => "jpg",
        }
    }

    /// Its media type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Avif => "image/avif",
            Self::Webp => "image/webp",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// The best encoding a client's `Accept` header names; JPEG when it names neither AVIF
    /// nor WebP (or refuses them with `q=0`).
    pub fn negotiate(accept: &str) -> Self {
        let accepts = |mime: &str| {
            accept.split(',').any(|part| {
                let mut pieces = part.split(';').map(str::trim);
                pieces.next() == Some(mime)
                    && !pieces.any(|p| {
                        p.strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    })
            })
        };
        [Self::Avif, Self::Webp]
            .into_iter()
            .find(|e| accepts(e.mime()))
            .unwrap_or(Self::Jpeg)
    }
}

/// The height of an image of `width` × `height` shown `to` pixels wide.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Renders the original (JPEG or PNG bytes, as [`crate::picture::clean`] stored them) at
/// `width` pixels (its own width when it is narrower) in `encoding`.
pub fn render(original: &[u8], width: u32, encoding: Encoding) -> Result<Vec<u8>, MediaError> {
    let broken = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    let image = image::load_from_memory(original).map_err(broken)?;
    // Transparency survives in WebP and AVIF; JPEG has none, so it is drawn on white.
    let keep_alpha = image.color().has_alpha() && encoding != Encoding::Jpeg;
    let source = if keep_alpha {
        DynamicImage::ImageRgba8(image.to_rgba8())
    } else if image.color().has_alpha() {
        DynamicImage::ImageRgb8(on_white(&image))
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
    };
    let to = width.min(source.width());
    let height = scaled_height(source.width(), source.height(), to);
    let pixels = if to == source.width() {
        source.as_bytes().to_vec()
    } else {
        let pixel = if keep_alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        };
        let mut resized = Image::new(to, height, pixel);
        let mut resizer = Resizer::new();
        resizer
            .resize(&source, &mut resized, None)
            .map_err(|e| MediaError::Unreadable(e.to_string()))?;
        resized.into_vec()
    };
    let colour = if keep_alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    encode(&pixels, to, height, colour, encoding)
}

fn on_white(image: &DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// Qualities chosen for photos of people in a hall: faces and slogans on banners stay
/// sharp at about a tenth of the original's bytes.
fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    colour: ExtendedColorType,
    encoding: Encoding,
) -> Result<Vec<u8>, MediaError> {
    let failed = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    let mut out = Vec::new();
    match encoding {
        Encoding::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
            .write_image(pixels, width, height, colour)
            .map_err(failed)?,
        Encoding::Avif => {
            // Speed 8 of 10: a few hundred milliseconds a photo; slower settings gain a few
            // per cent of bytes for several times the wait of the first reader.
            image::codecs::avif::AvifEncoder::new_with_speed_quality(&mut out, 8, 60)
                .write_image(pixels, width, height, colour)
                .map_err(failed)?;
        }
        Encoding::Webp => {
            let encoder = if colour == ExtendedColorType::Rgba8 {
                webp::Encoder::from_rgba(pixels, width, height)
            } else {
                webp::Encoder::from_rgb(pixels, width, height)
            };
            out = encoder.encode(80.0).to_vec();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_chooses_the_best_format_the_client_reads() {
        let chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
        assert_eq!(Encoding::negotiate(chrome), Encoding::Avif);
        assert_eq!(Encoding::negotiate("image/webp,*/*"), Encoding::Webp);
        assert_eq!(
            Encoding::negotiate("image/avif;q=0, image/webp"),
            Encoding::Webp
        );
        assert_eq!(Encoding::negotiate("*/*"), Encoding::Jpeg);
        assert_eq!(Encoding::negotiate(""), Encoding::Jpeg);
    }

    #[test]
    fn heights_keep_the_shape() {
        assert_eq!(scaled_height(4000, 3000, 640), 480);
        assert_eq!(scaled_height(3000, 4000, 320), 427);
        assert_eq!(scaled_height(1, 1, 1), 1);
    }
}
