//! Photos as cameras write them, for the media tests: a JPEG with an EXIF block that turns
//! the picture (orientation 6: the camera was held upright) and tells where it was taken
//! and with what.

use image::{ImageEncoder, Rgb, RgbImage};

/// What the EXIF block says, so that a test can look for it in the bytes stored.
pub const CAMERA: &str = "Canon EOS 80D";
/// The place the EXIF block gives, as text a test can look for.
pub const PLACE: &str = "21.8537N 106.7615E Lang Son";

/// A `width` × `height` JPEG (as the sensor saw it: wider than high) whose EXIF says to
/// show it turned a quarter clockwise, with the camera and the place.
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| {
        // A red left half and a blue right half: which way the picture is turned shows.
        if x < width / 2 {
            Rgb([200, 30, 30])
        } else {
            Rgb([30, 30, 200 - (y % 50) as u8])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .write_image(
            picture.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap_or_default();
    // The APP1 segment goes right after the start of image (FF D8).
    let exif = app1();
    let mut out = Vec::with_capacity(jpeg.len() + exif.len());
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An APP1 "Exif" segment: a big-endian TIFF block with IFD0 holding the orientation, the
/// camera's make and a description with the place.
fn app1() -> Vec<u8> {
    let make = format!("{CAMERA}\0");
    let description = format!("{PLACE}\0");
    let entries: u16 = 3;
    let ifd_size = 2 + 12 * u32::from(entries) + 4;
    let data_at = 8 + ifd_size;
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
    tiff.extend_from_slice(&entries.to_be_bytes());
    let mut entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&count.to_be_bytes());
        tiff.extend_from_slice(&value);
    };
    entry(0x010E, 2, description.len() as u32, data_at.to_be_bytes());
    entry(
        0x010F,
        2,
        make.len() as u32,
        (data_at + description.len() as u32).to_be_bytes(),
    );
    entry(0x0112, 3, 1, [0, 6, 0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(description.as_bytes());
    tiff.extend_from_slice(make.as_bytes());
    let mut segment = vec![0xFF, 0xE1];
    let length = (2 + 6 + tiff.len()) as u16;
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    segment
}
