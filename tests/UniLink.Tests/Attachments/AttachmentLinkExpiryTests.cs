using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.Tests.Attachments;

public sealed class AttachmentLinkExpiryTests
{
    [Fact]
    public async Task An_expired_link_is_refused_and_a_restart_keeps_the_files()
    {
        var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_FILE_URL_SECONDS"] = "1" });
        try
        {
            using var admin = server.AdminClient();
            var account = server.AccountId;
            var id = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
            var bytes = Bytes(5000);
            var message = await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{id}/messages",
                Form([("content", "manual")], ("manual.pdf", bytes, "application/pdf")))).ExpectAsync(HttpStatusCode.OK);
            var dataUrl = message!["attachments"]![0]!["data_url"]!.GetValue<string>();
            using var anonymous = server.Client();
            Assert.Equal(bytes, await anonymous.GetByteArrayAsync(dataUrl));
            await Task.Delay(2100);
            await (await anonymous.GetAsync(dataUrl)).ExpectBodyAsync(HttpStatusCode.Forbidden,
                """{"error":"This link has expired; the message's data_url holds a fresh one"}""");

            server = server.Restart();
            using var again = server.AdminClient();
            var listed = await (await again.GetAsync($"/api/v1/accounts/{account}/conversations/{id}/messages")).ExpectAsync(HttpStatusCode.OK);
            var fresh = listed!["payload"]!.AsArray()[^1]!["attachments"]![0]!["data_url"]!.GetValue<string>();
            using var anonymousAgain = server.Client();
            Assert.Equal(bytes, await anonymousAgain.GetByteArrayAsync(fresh));
        }
        finally { server.Dispose(); }
    }
}
