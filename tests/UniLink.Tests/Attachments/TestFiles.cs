using System.Net.Http.Headers;
using SkiaSharp;

namespace UniLink.Tests.Attachments;

/// <summary>Files to upload, and the multipart forms clients send.</summary>
public static class TestFiles
{
    public static byte[] Png(int width = 600, int height = 400)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(30, 120, 200));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Bytes(int length, byte seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static ByteArrayContent File(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>A form with the given text fields and files (field name <c>attachments[]</c>, as the reference's dashboard sends them).</summary>
    public static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, params (string Name, byte[] Bytes, string Type)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        foreach (var (name, bytes, type) in files) form.Add(File(bytes, type), "attachments[]", name);
        return form;
    }
}
