using UniLink.Infrastructure.Config;

namespace UniLink.Features.Attachments;

public static class AttachmentServices
{
    /// <summary>The store UNILINK_S3_URL names, else the data folder.</summary>
    public static IServiceCollection AddAttachments(this IServiceCollection services)
    {
        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<UniLinkOptions>();
            return options.S3 is { } s3 ? S3FileStore.Create(s3) : new LocalFileStore(Path.Combine(Path.GetFullPath(options.DataDir), "attachments"));
        });
        services.AddSingleton<AttachmentStaging>();
        services.AddSingleton<AttachmentLinks>();
        services.AddSingleton<StoredFiles>();
        services.AddScoped<Contacts.ContactAvatars>();
        return services;
    }
}
